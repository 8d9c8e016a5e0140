using System.Net;
using FastEndpoints;
using MySecureApi.Features.DevIssuer.GetOpenIdConfiguration;
using MySecureApi.Tests.Fixtures;

namespace MySecureApi.Tests.Features.DevIssuer;

public sealed class GetOpenIdConfigurationTests(AppFixture app)
{
    [Fact]
    public async Task Discovery_names_the_development_issuer_and_its_jwks()
    {
        await using var dev = new DevIssuerHost(app);

        var (response, result) = await dev.CreateClient().GETAsync<Endpoint, Response>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("http://localhost:3000/", result.Issuer);
        Assert.Equal("http://localhost:3000/.well-known/jwks.json", result.JwksUri);
        Assert.Equal(["RS256"], result.IdTokenSigningAlgValuesSupported);
    }

    [Fact]
    public async Task Outside_the_development_issuer_it_is_not_found()
    {
        var (response, _) = await app.Client().GETAsync<Endpoint, Response>();

        await Problem.AssertAsync(response, HttpStatusCode.NotFound, "not_found", "The requested resource was not found");
    }
}
