using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using MySecureApi.Tests.Fixtures;

namespace MySecureApi.Tests.Cors;

public sealed class CorsTests(AppFixture app)
{
    private const string AppOrigin = "https://app.example.com";

    private static async Task<HttpResponseMessage> GetAsync(HttpClient client, string path, string origin, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Origin", origin);
        if (token is not null)
            request.Headers.Authorization = new("Bearer", token);
        return await client.SendAsync(request, Ct);
    }

    private static async Task<HttpResponseMessage> PreflightAsync(HttpClient client, string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/api/private");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "GET");
        request.Headers.Add("Access-Control-Request-Headers", "authorization, content-type, dpop");
        return await client.SendAsync(request, Ct);
    }

    private static string? AllowOrigin(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) ? values.Single() : null;

    private WebApplicationFactory<Program> Restricted() =>
        app.With("Production", ("ALLOWED_ORIGIN", $"{AppOrigin}, https://admin.example.com"));

    [Fact]
    public async Task Without_allowed_origin_any_origin_gets_a_wildcard()
    {
        var response = await GetAsync(app.Client(), "/api/public", "https://anywhere.example");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("*", AllowOrigin(response));
    }

    [Theory]
    [InlineData("/api/private", HttpStatusCode.Unauthorized)]
    [InlineData("/nope", HttpStatusCode.NotFound)]
    [InlineData(ThrowingEndpoint.Route, HttpStatusCode.InternalServerError)]
    public async Task Error_responses_carry_cors_headers(string path, HttpStatusCode status)
    {
        var response = await GetAsync(app.Client(), path, "https://anywhere.example");

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("*", AllowOrigin(response));
    }

    [Fact]
    public async Task Forbidden_response_carries_cors_headers_and_exposes_the_challenge()
    {
        var response = await GetAsync(app.Client(), "/api/messages", "https://anywhere.example", app.Token().Build());

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("*", AllowOrigin(response));
        Assert.Contains("WWW-Authenticate", response.Headers.GetValues("Access-Control-Expose-Headers").Single().Split(','));
    }

    [Fact]
    public async Task Preflight_allows_authorization_content_type_and_dpop()
    {
        var response = await PreflightAsync(app.Client(), "https://anywhere.example");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var allowed = response.Headers.GetValues("Access-Control-Allow-Headers").Single().Split(',').Select(h => h.Trim().ToLowerInvariant());
        Assert.Equal(["authorization", "content-type", "dpop"], allowed.Order());
    }

    [Fact]
    public async Task Configured_origin_is_echoed_with_vary_origin()
    {
        await using var host = Restricted();

        var response = await GetAsync(host.CreateClient(), "/api/private", AppOrigin);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(AppOrigin, AllowOrigin(response));
        Assert.Contains("Origin", response.Headers.Vary);
    }

    [Fact]
    public async Task Second_configured_origin_is_echoed()
    {
        await using var host = Restricted();

        var response = await GetAsync(host.CreateClient(), "/api/public", "https://admin.example.com");

        Assert.Equal("https://admin.example.com", AllowOrigin(response));
    }

    [Theory]
    [InlineData("https://evil.example.com")]
    [InlineData("https://app.example.com.evil.com")]
    [InlineData("http://app.example.com")]
    [InlineData("null")]
    public async Task Other_origins_get_no_cors_headers(string origin)
    {
        await using var host = Restricted();

        var response = await GetAsync(host.CreateClient(), "/api/public", origin);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(AllowOrigin(response));
    }

    [Fact]
    public async Task Preflight_from_another_origin_gets_no_cors_headers()
    {
        await using var host = Restricted();

        var response = await PreflightAsync(host.CreateClient(), "https://evil.example.com");

        Assert.Null(AllowOrigin(response));
    }

    public static TheoryData<string, string, string?> VaryCases => new()
    {
        { "one origin, matching", AppOrigin, AppOrigin },
        { "one origin, another", "https://evil.example.com", null },
        { "one origin, none sent", "", null },
        { "two origins, another", "https://evil.example.com", null },
        { "two origins, none sent", "", null },
    };

    [Theory]
    [MemberData(nameof(VaryCases))]
    public async Task Every_answer_varies_by_origin_once_origins_are_configured(string configuration, string origin, string? echoed)
    {
        var origins = configuration.StartsWith("one", StringComparison.Ordinal) ? AppOrigin : $"{AppOrigin},https://admin.example.com";
        await using var host = app.With("Production", ("ALLOWED_ORIGIN", origins));
        var client = host.CreateClient();

        foreach (var path in new[] { "/api/public", "/api/private", "/nope" })
        {
            var response = origin.Length == 0 ? await client.GetAsync(path, Ct) : await GetAsync(client, path, origin);

            Assert.Equal(echoed, AllowOrigin(response));
            Assert.Equal(["Origin"], response.Headers.Vary);
        }
    }

    [Fact]
    public async Task Preflight_with_one_configured_origin_varies_by_origin()
    {
        await using var host = app.With("Production", ("ALLOWED_ORIGIN", AppOrigin));

        var response = await PreflightAsync(host.CreateClient(), AppOrigin);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(AppOrigin, AllowOrigin(response));
        Assert.Contains("Origin", response.Headers.Vary);
    }

    [Fact]
    public async Task Without_configured_origins_nothing_varies_by_origin()
    {
        var response = await GetAsync(app.Client(), "/api/public", AppOrigin);

        Assert.Equal("*", AllowOrigin(response));
        Assert.DoesNotContain("Origin", response.Headers.Vary);
    }

    [Fact]
    public async Task Rate_limited_answers_expose_retry_after_to_browser_code()
    {
        await using var host = app.With("Production", ("ALLOWED_ORIGIN", AppOrigin), ("RateLimiting:Ip:PermitLimit", "1"), ("RateLimiting:Ip:Algorithm", "FixedWindow"));
        var client = host.CreateClient();
        await GetAsync(client, "/api/public", AppOrigin);

        var response = await GetAsync(client, "/api/public", AppOrigin);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(AppOrigin, AllowOrigin(response));
        var exposed = response.Headers.GetValues("Access-Control-Expose-Headers").Single().Split(',').Select(h => h.Trim());
        Assert.Contains("Retry-After", exposed);
        Assert.Contains("WWW-Authenticate", exposed);
    }

    /// <summary>Browser code doing DPoP must read the server nonce (RFC 9449 §8) to put it in its next proof.</summary>
    [Fact]
    public async Task Dpop_nonce_is_exposed_to_browser_code()
    {
        await using var host = app.With("Production", ("ALLOWED_ORIGIN", AppOrigin),
            ("Auth0:DPoP:Nonce", "true"), ("Auth0:DPoP:NonceSecret", "a-test-secret-of-more-than-32-characters-0123456789"));
        using var key = DPoPKey.Es256();
        var token = app.Token().With("cnf", new System.Text.Json.Nodes.JsonObject { ["jkt"] = key.Thumbprint }).Build();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/private");
        request.Headers.Add("Origin", AppOrigin);
        request.Headers.TryAddWithoutValidation("Authorization", $"DPoP {token}");
        request.Headers.TryAddWithoutValidation("DPoP", new DPoPProofBuilder(key, "GET", "http://localhost/api/private", token).Build());

        var response = await host.CreateClient().SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(AppOrigin, AllowOrigin(response));
        Assert.True(response.Headers.Contains("DPoP-Nonce"));
        var exposed = response.Headers.GetValues("Access-Control-Expose-Headers").Single().Split(',').Select(h => h.Trim());
        Assert.Contains("DPoP-Nonce", exposed);
    }
}
