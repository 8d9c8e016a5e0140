using System.Net;
using FastEndpoints;
using Microsoft.AspNetCore.Mvc.Testing;
using MySecureApi.Features.DevIssuer;
using PostToken = MySecureApi.Features.DevIssuer.PostToken;

namespace MySecureApi.Tests.Fixtures;

/// <summary>A Development host with no tenant — the app is its own issuer — keeping its key in a temporary folder.</summary>
public sealed class DevIssuerHost : IAsyncDisposable
{
    private readonly DirectoryInfo keyDir = Directory.CreateTempSubdirectory("mysecureapi-key-");

    public DevIssuerHost(AppFixture app, params (string, string?)[] extra) =>
        Factory = app.With("Development", [("AUTH0_DOMAIN", null), ("AUTH0_AUDIENCE", null), ("DevIssuer:KeyPath", KeyPath), .. extra]);

    public string KeyPath => Path.Combine(keyDir.FullName, "dev-signing-key.pem");

    public WebApplicationFactory<Program> Factory { get; }

    public HttpClient CreateClient() => Factory.CreateClient();

    public Task<string> MintAsync(DevTokenRequest request) => MintAsync(CreateClient(), request);

    /// <summary>A token from <c>POST /dev/token</c> on a development-issuer host; asserts the 200 and its token type.</summary>
    public static async Task<string> MintAsync(HttpClient client, DevTokenRequest request)
    {
        var (response, result) = await client.POSTAsync<PostToken.Endpoint, DevTokenRequest, PostToken.Response>(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Bearer", result.TokenType);
        return result.AccessToken;
    }

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        keyDir.Delete(recursive: true);
    }
}
