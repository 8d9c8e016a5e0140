using System.Text.Json;
using MySecureApi.Tests.Fixtures;
using MySecureApi.Infrastructure.Auth.Tokens;

namespace MySecureApi.Tests.Auth;

/// <summary>Header forms only a raw socket can send, answered by the app on real Kestrel.</summary>
public sealed class RawAuthorizationHeaderTests(AppFixture app)
{
    private async Task<RawHttp.Answer> SendAsync(params string[] headerLines)
    {
        await using var host = app.With("Production");
        var server = RawHttp.StartOnLoopback(host);
        return await RawHttp.SendAsync(server, "GET", "/api/private", headerLines);
    }

    private static void AssertInvalidRequest(RawHttp.Answer answer, string description)
    {
        Assert.Equal(400, answer.Status);
        Assert.Equal("application/problem+json", answer.Header("Content-Type"));
        Assert.Equal($"Bearer realm=\"api\", error=\"invalid_request\", error_description=\"{description}\"{Problem.ResourceMetadata}", answer.Header("WWW-Authenticate"));
        using var body = JsonDocument.Parse(answer.Body);
        Assert.Equal("invalid_request", body.RootElement.GetProperty("error").GetString());
        Assert.Equal("Authentication required", body.RootElement.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Bearer_followed_by_a_tab_gets_400_invalid_request() =>
        AssertInvalidRequest(await SendAsync($"Authorization: Bearer\t{app.Token().Build()}"), TokenFailure.MalformedHeader);

    [Fact]
    public async Task Tab_inside_the_credentials_gets_400_invalid_request() =>
        AssertInvalidRequest(await SendAsync($"Authorization: Bearer {app.Token().Build()}\textra"), TokenFailure.MalformedHeader);

    [Fact]
    public async Task Empty_authorization_header_gets_400_invalid_request() =>
        AssertInvalidRequest(await SendAsync("Authorization:"), TokenFailure.MalformedHeader);

    [Fact]
    public async Task Two_authorization_headers_get_400_invalid_request()
    {
        var token = app.Token().Build();

        AssertInvalidRequest(await SendAsync($"Authorization: Bearer {token}", $"Authorization: Bearer {token}"), TokenFailure.MultipleHeaders);
    }

    [Fact]
    public async Task Valid_token_over_kestrel_gets_200()
    {
        var answer = await SendAsync($"Authorization: Bearer {app.Token().Build()}");

        Assert.Equal(200, answer.Status);
    }
}
