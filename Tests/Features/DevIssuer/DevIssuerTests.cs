using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using MySecureApi.Features.DevIssuer;
using MySecureApi.Tests.Fixtures;
using MySecureApi.Infrastructure.Auth.Tokens;

namespace MySecureApi.Tests.Features.DevIssuer;

/// <summary>The built-in issuer: only in Development without a tenant, same validation, key kept across restarts.</summary>
public sealed class DevIssuerTests(AppFixture app) : IDisposable
{
    private readonly DirectoryInfo keyDir = Directory.CreateTempSubdirectory("mysecureapi-key-");

    private string KeyPath => Path.Combine(keyDir.FullName, "dev-signing-key.pem");

    public void Dispose() => keyDir.Delete(recursive: true);

    private WebApplicationFactory<Program> DevHost(params (string, string?)[] extra) =>
        app.With("Development", [("AUTH0_DOMAIN", null), ("AUTH0_AUDIENCE", null), ("DevIssuer:KeyPath", KeyPath), .. extra]);

    [Fact]
    public async Task Key_is_kept_across_restarts_outside_the_repository_owner_only()
    {
        string token;
        await using (var first = DevHost())
            token = await DevIssuerHost.MintAsync(first.CreateClient(), new DevTokenRequest());

        await using var second = DevHost();

        Assert.Equal(HttpStatusCode.OK, (await second.CreateClient().GetWithTokenAsync("/api/private", token)).StatusCode);
        Assert.True(File.Exists(KeyPath));
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KeyPath));
    }

    [Fact]
    public async Task Default_key_lives_in_per_user_application_data()
    {
        var settings = new MySecureApi.Features.DevIssuer.DevIssuerOptions();

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

        await AssertNotFoundAsync(await client.PostAsJsonAsync("/dev/token", new { }, Ct));
        await AssertNotFoundAsync(await client.GetAsync("/.well-known/jwks.json", Ct));
        await AssertNotFoundAsync(await client.GetAsync("/.well-known/openid-configuration", Ct));
        Assert.False(File.Exists(KeyPath));
    }

    [Fact]
    public async Task Dev_tokens_are_refused_when_a_tenant_is_configured()
    {
        string token;
        await using (var dev = DevHost())
            token = await DevIssuerHost.MintAsync(dev.CreateClient(), new DevTokenRequest());
        await using var tenant = app.With("Development", ("DevIssuer:KeyPath", KeyPath), ("AUTH0_AUDIENCE", "https://mysecureapi.local"));
        var client = tenant.CreateClient();

        var response = await client.GetWithTokenAsync("/api/private", token);

        await Problem.AssertInvalidTokenAsync(response, TokenFailure.InvalidIssuer);
        await AssertNotFoundAsync(await client.PostAsJsonAsync("/dev/token", new { }, Ct));
    }

    private static async Task AssertNotFoundAsync(HttpResponseMessage response)
    {
        await Problem.AssertAsync(response, HttpStatusCode.NotFound, "not_found", "The requested resource was not found");
        Assert.Null(Problem.Challenge(response));
    }

    private static async Task<HttpContext> SendFromAsync(WebApplicationFactory<Program> host, string remoteIp, string method, string path) =>
        await host.Server.SendAsync(c =>
        {
            c.Request.Method = method;
            c.Request.Path = path;
            c.Connection.RemoteIpAddress = System.Net.IPAddress.Parse(remoteIp);
            if (method == "POST")
            {
                c.Request.ContentType = "application/json";
                c.Request.Body = new MemoryStream("{}"u8.ToArray());
            }
        }, Ct);

    public static TheoryData<string, string> DevRoutes => new()
    {
        { "POST", "/dev/token" },
        { "GET", "/.well-known/jwks.json" },
        { "GET", "/.well-known/openid-configuration" },
    };

    [Theory]
    [MemberData(nameof(DevRoutes))]
    public async Task Dev_issuer_answers_clients_on_this_machine_only(string method, string path)
    {
        await using var host = DevHost();
        host.CreateClient();

        var remote = await SendFromAsync(host, "192.0.2.10", method, path);
        var remoteV6 = await SendFromAsync(host, "2001:db8::7", method, path);
        var loopback = await SendFromAsync(host, "127.0.0.1", method, path);
        var loopbackV6 = await SendFromAsync(host, "::1", method, path);

        Assert.Equal(404, remote.Response.StatusCode);
        Assert.Equal("application/problem+json", remote.Response.ContentType);
        Assert.Equal(404, remoteV6.Response.StatusCode);
        Assert.Equal(200, loopback.Response.StatusCode);
        Assert.Equal(200, loopbackV6.Response.StatusCode);
    }

    [Theory]
    [InlineData("http://0.0.0.0:3000", true)]
    [InlineData("http://[::]:3000", true)]
    [InlineData("http://+:3000", true)]
    [InlineData("http://*:3000", true)]
    [InlineData("http://192.0.2.10:3000", true)]
    [InlineData("http://localhost:3000", false)]
    [InlineData("http://127.0.0.1:3000", false)]
    [InlineData("http://[::1]:3000", false)]
    public void Banner_says_when_the_app_listens_beyond_loopback(string address, bool warns)
    {
        var lines = MySecureApi.Features.DevIssuer.DevIssuerBannerSection.Lines("http://localhost:3000", [address],
            issuer: "http://localhost:3000/", audience: "https://mysecureapi.local");

        Assert.Equal(warns, lines.Any(l => l.Contains("answers only clients on this machine (loopback)", StringComparison.Ordinal)));
    }
}
