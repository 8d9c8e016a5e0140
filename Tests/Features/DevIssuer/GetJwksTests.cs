using System.Net;
using FastEndpoints;
using Microsoft.IdentityModel.JsonWebTokens;
using MySecureApi.Features.DevIssuer.GetJwks;
using MySecureApi.Features.DevIssuer;
using MySecureApi.Tests.Fixtures;

namespace MySecureApi.Tests.Features.DevIssuer;

public sealed class GetJwksTests(AppFixture app)
{
    [Fact]
    public async Task The_key_set_publishes_the_public_signing_key_under_the_tokens_kid()
    {
        await using var dev = new DevIssuerHost(app);
        var token = await dev.MintAsync(new DevTokenRequest());

        var (response, result) = await dev.CreateClient().GETAsync<Endpoint, Response>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var key = Assert.Single(result.Keys);
        Assert.Equal(("RSA", "sig", "RS256"), (key.Kty, key.Use, key.Alg));
        Assert.Equal(new JsonWebToken(token).Kid, key.Kid);
        Assert.DoesNotContain("\"d\"", await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Outside_the_development_issuer_it_is_not_found()
    {
        var (response, _) = await app.Client().GETAsync<Endpoint, Response>();

        await Problem.AssertAsync(response, HttpStatusCode.NotFound, "not_found", "The requested resource was not found");
    }
}
