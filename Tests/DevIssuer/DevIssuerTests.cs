using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using MySecureApi.Infrastructure.Auth;
using MySecureApi.Tests.Infrastructure;

namespace MySecureApi.Tests.DevIssuer;

/// <summary>The built-in issuer: only in Development without a tenant, same validation, key kept across restarts.</summary>
public sealed class DevIssuerTests(AppFixture app) : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly DirectoryInfo keyDir = Directory.CreateTempSubdirectory("mysecureapi-key-");

    private string KeyPath => Path.Combine(keyDir.FullName, "dev-signing-key.pem");

    public void Dispose() => keyDir.Delete(recursive: true);

    private WebApplicationFactory<Program> DevHost(params (string, string?)[] extra) =>
        app.With("Development", [("AUTH0_DOMAIN", null), ("AUTH0_AUDIENCE", null), ("DevIssuer:KeyPath", KeyPath), .. extra]);

    private static async Task<string> MintAsync(HttpClient client, object request)
    {
        var response = await client.PostAsJsonAsync("/dev/token", request, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal("Bearer", body.RootElement.GetProperty("tokenType").GetString());
        return body.RootElement.GetProperty("accessToken").GetString()!;
    }

    private static async Task<HttpStatusCode> GetAsync(HttpClient client, string path, string token) =>
        (await client.GetWithTokenAsync(path, token)).StatusCode;

    [Fact]
    public async Task Dev_token_opens_the_private_route()
    {
        await using var host = DevHost();
        var client = host.CreateClient();

        var token = await MintAsync(client, new { });

        Assert.Equal(HttpStatusCode.OK, await GetAsync(client, "/api/private", token));
    }

    [Fact]
    public async Task Dev_token_goes_through_the_same_rules()
    {
        await using var host = DevHost();
        var client = host.CreateClient();

        var unscoped = await MintAsync(client, new { });
        var scoped = await MintAsync(client, new { scope = "read:messages" });

        Assert.Equal(HttpStatusCode.Forbidden, await GetAsync(client, "/api/messages", unscoped));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(client, "/api/messages", scoped));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(client, "/api/private", scoped[..^4] + "AAAA"));
    }

    [Fact]
    public async Task Discovery_and_jwks_publish_the_signing_key()
    {
        await using var host = DevHost();
        var client = host.CreateClient();
        var token = await MintAsync(client, new { });

        using var discovery = JsonDocument.Parse(await client.GetStringAsync("/.well-known/openid-configuration", Ct));
        using var jwks = JsonDocument.Parse(await client.GetStringAsync("/.well-known/jwks.json", Ct));

        Assert.Equal("http://localhost:3000/", discovery.RootElement.GetProperty("issuer").GetString());
        Assert.Equal("http://localhost:3000/.well-known/jwks.json", discovery.RootElement.GetProperty("jwks_uri").GetString());
        var key = Assert.Single(jwks.RootElement.GetProperty("keys").EnumerateArray().ToList());
        Assert.Equal("RSA", key.GetProperty("kty").GetString());
        Assert.Equal(new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(token).Kid, key.GetProperty("kid").GetString());
        Assert.False(key.TryGetProperty("d", out _));
    }

    [Fact]
    public async Task Key_is_kept_across_restarts_outside_the_repository_owner_only()
    {
        string token;
        await using (var first = DevHost())
            token = await MintAsync(first.CreateClient(), new { });

        await using var second = DevHost();

        Assert.Equal(HttpStatusCode.OK, await GetAsync(second.CreateClient(), "/api/private", token));
        Assert.True(File.Exists(KeyPath));
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KeyPath));
    }

    [Fact]
    public async Task Default_key_lives_in_per_user_application_data()
    {
        var settings = new MySecureApi.Infrastructure.DevIssuer.DevIssuerSettings();

        Assert.StartsWith(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), settings.KeyPath);
        Assert.DoesNotContain(Directory.GetCurrentDirectory(), settings.KeyPath);
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public async Task Outside_development_the_dev_issuer_does_not_exist(string environment)
    {
        await using var host = app.With(environment, ("DevIssuer:KeyPath", KeyPath));
        var client = host.CreateClient();

        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync("/dev/token", new { }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/.well-known/jwks.json", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/.well-known/openid-configuration", Ct)).StatusCode);
        Assert.False(File.Exists(KeyPath));
    }

    [Fact]
    public async Task Dev_tokens_are_refused_when_a_tenant_is_configured()
    {
        string token;
        await using (var dev = DevHost())
            token = await MintAsync(dev.CreateClient(), new { });
        await using var tenant = app.With("Development", ("DevIssuer:KeyPath", KeyPath), ("AUTH0_AUDIENCE", "https://mysecureapi.local"));
        var client = tenant.CreateClient();

        var response = await client.GetWithTokenAsync("/api/private", token);

        await Problem.AssertInvalidTokenAsync(response, TokenFailure.InvalidIssuer);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync("/dev/token", new { }, Ct)).StatusCode);
    }

    [Fact]
    public async Task Invalid_mint_request_gets_400_listing_the_fields()
    {
        await using var host = DevHost();

        var response = await host.CreateClient().PostAsJsonAsync("/dev/token", new { sub = "", expiresIn = "100y" }, Ct);

        var body = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "invalid_request", "The request is invalid");
        Assert.True(body.GetProperty("errors").TryGetProperty("sub", out _));
        Assert.True(body.GetProperty("errors").TryGetProperty("expiresIn", out _));
    }
}
