using System.Net;
using FastEndpoints;
using MySecureApi.Features.DevIssuer.PostToken;
using MySecureApi.Features.DevIssuer;
using MySecureApi.Tests.Fixtures;

namespace MySecureApi.Tests.Features.DevIssuer;

public sealed class PostTokenTests(AppFixture app)
{
    [Fact]
    public async Task Dev_token_opens_the_private_route()
    {
        await using var dev = new DevIssuerHost(app);

        var token = await dev.MintAsync(new DevTokenRequest());

        Assert.Equal(HttpStatusCode.OK, (await dev.CreateClient().GetWithTokenAsync("/api/private", token)).StatusCode);
    }

    [Fact]
    public async Task Dev_token_goes_through_the_same_rules()
    {
        await using var dev = new DevIssuerHost(app);
        var client = dev.CreateClient();

        var unscoped = await dev.MintAsync(new DevTokenRequest());
        var scoped = await dev.MintAsync(new DevTokenRequest { Scope = "read:messages" });

        await Problem.AssertInsufficientScopeAsync(await client.GetWithTokenAsync("/api/messages", unscoped), "read:messages");
        Assert.Equal(HttpStatusCode.OK, (await client.GetWithTokenAsync("/api/messages", scoped)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetWithTokenAsync("/api/private", scoped[..^4] + "AAAA")).StatusCode);
    }

    [Fact]
    public async Task Claims_keep_their_json_types_and_the_answer_is_not_cached()
    {
        await using var dev = new DevIssuerHost(app);
        var request = new DevTokenRequest { Claims = new() { ["verified"] = true, ["subscription"] = "premium" }, ExpiresIn = "2h" };

        var (response, result) = await dev.CreateClient().POSTAsync<Endpoint, DevTokenRequest, Response>(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal(7200, result.ExpiresIn);
        Assert.Equal(HttpStatusCode.OK, (await dev.CreateClient().GetWithTokenAsync("/api/premium", result.AccessToken)).StatusCode);
    }

    [Fact]
    public async Task Invalid_mint_request_gets_400_listing_the_fields()
    {
        await using var dev = new DevIssuerHost(app);

        var (response, _) = await dev.CreateClient().POSTAsync<Endpoint, DevTokenRequest, Response>(new DevTokenRequest { Sub = "", ExpiresIn = "100y" });

        var body = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "invalid_request", "The request is invalid");
        Assert.True(body.GetProperty("errors").TryGetProperty("sub", out _));
        Assert.True(body.GetProperty("errors").TryGetProperty("expiresIn", out _));
    }

    [Fact]
    public async Task Outside_the_development_issuer_it_is_not_found()
    {
        var (response, _) = await app.Client().POSTAsync<Endpoint, DevTokenRequest, Response>(new DevTokenRequest());

        await Problem.AssertAsync(response, HttpStatusCode.NotFound, "not_found", "The requested resource was not found");
    }
}
