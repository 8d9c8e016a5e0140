using System.Net;
using System.Text.Json;

namespace MySecureApi.Tests.Infrastructure;

/// <summary>Asserts the contract's error shape: status first, then body, then headers.</summary>
public static class Problem
{
    public static async Task<JsonElement> AssertAsync(HttpResponseMessage response, HttpStatusCode status, string error, string message)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal((int)status, body.GetProperty("status").GetInt32());
        Assert.Equal(error, body.GetProperty("error").GetString());
        Assert.Equal(message, body.GetProperty("message").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("traceId").GetString()));
        return body;
    }

    public static string? Challenge(HttpResponseMessage response) =>
        response.Headers.WwwAuthenticate.Count == 0 ? null : string.Join(", ", response.Headers.GetValues("WWW-Authenticate"));

    /// <summary>401 <c>invalid_token</c> with the fixed description in both body and challenge.</summary>
    public static async Task AssertInvalidTokenAsync(HttpResponseMessage response, string description)
    {
        var body = await AssertAsync(response, HttpStatusCode.Unauthorized, "invalid_token", "Authentication required");
        Assert.Equal(description, body.GetProperty("detail").GetString());
        Assert.Equal($"Bearer realm=\"api\", error=\"invalid_token\", error_description=\"{description}\"", Challenge(response));
    }

    public static async Task AssertUnauthorizedAsync(HttpResponseMessage response)
    {
        await AssertAsync(response, HttpStatusCode.Unauthorized, "unauthorized", "Authentication required");
        Assert.Equal("Bearer realm=\"api\"", Challenge(response));
    }

    public static async Task AssertInvalidRequestAsync(HttpResponseMessage response, string description)
    {
        var body = await AssertAsync(response, HttpStatusCode.BadRequest, "invalid_request", "Authentication required");
        Assert.Equal(description, body.GetProperty("detail").GetString());
        Assert.Equal($"Bearer realm=\"api\", error=\"invalid_request\", error_description=\"{description}\"", Challenge(response));
    }

    public static async Task AssertInsufficientScopeAsync(HttpResponseMessage response, string scope)
    {
        var body = await AssertAsync(response, HttpStatusCode.Forbidden, "insufficient_scope", "Missing required permissions");
        Assert.Equal("Insufficient Scope", body.GetProperty("detail").GetString());
        Assert.Equal($"Bearer realm=\"api\", error=\"insufficient_scope\", error_description=\"Insufficient Scope\", scope=\"{scope}\"", Challenge(response));
    }

    public static async Task AssertForbiddenAsync(HttpResponseMessage response)
    {
        await AssertAsync(response, HttpStatusCode.Forbidden, "forbidden", "Access denied");
        Assert.Null(Challenge(response));
    }
}
