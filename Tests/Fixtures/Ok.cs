using System.Net;
using System.Text.Json.Nodes;

namespace MySecureApi.Tests.Fixtures;

/// <summary>Asserts a documented 200: status, <c>application/json; charset=utf-8</c>, and the exact JSON body.</summary>
public static class Ok
{
    public static async Task AssertAsync(HttpResponseMessage response, string expectedJson)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        var actual = JsonNode.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expectedJson), actual), $"expected {expectedJson}, got {actual?.ToJsonString()}");
    }
}
