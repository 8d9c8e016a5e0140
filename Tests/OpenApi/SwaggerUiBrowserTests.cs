using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using MySecureApi.Tests.Fixtures;

namespace MySecureApi.Tests.OpenApi;

/// <summary>
/// A real browser (Debian's headless Chromium, driven by <c>Tests/browser/swagger-check.mjs</c>) opens Swagger UI,
/// authorizes with a minted token, executes <c>GET /api/private</c> (200), logs out and executes it again (401).
/// The screenshot is kept in <c>artifacts/browser/</c>.
/// </summary>
public sealed class SwaggerUiBrowserTests(AppFixture app) : IDisposable
{
    private readonly DirectoryInfo keyDir = Directory.CreateTempSubdirectory("mysecureapi-browser-");

    public void Dispose() => keyDir.Delete(recursive: true);

    [Fact]
    public async Task Swagger_ui_authorizes_with_a_minted_token_and_executes_the_private_route()
    {
        var ct = Ct;
        await using var host = app.With("Development", ("AUTH0_DOMAIN", null), ("AUTH0_AUDIENCE", null),
            ("DevIssuer:KeyPath", Path.Combine(keyDir.FullName, "key.pem")));
        var server = RawHttp.StartOnLoopback(host);
        using var client = new HttpClient { BaseAddress = server };
        var minted = await client.PostAsJsonAsync("/dev/token", new { }, ct);
        var token = (await minted.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("accessToken").GetString()!;

        var repo = RepositoryRoot();
        var screenshot = Path.Combine(repo, "artifacts", "browser", "swagger-private.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        var (exitCode, stdout, stderr) = await NodeAsync(Path.Combine(repo, "Tests", "browser"),
            ["swagger-check.mjs", server.ToString().TrimEnd('/'), token, screenshot], ct);

        Assert.True(exitCode == 0, $"swagger-check.mjs failed ({exitCode}): {stderr}");
        using var result = JsonDocument.Parse(stdout);
        Assert.Equal(200, result.RootElement.GetProperty("withToken").GetInt32());
        Assert.Equal(401, result.RootElement.GetProperty("withoutToken").GetInt32());
        Assert.True(new FileInfo(screenshot).Length > 10_000);
    }

    /// <summary>
    /// Swagger UI's Auth0 login end to end, as a new user tries it: authorization code + PKCE against a real OpenID
    /// provider on loopback (oidc-provider, set up like an Auth0 single-page application: a public client, no secret),
    /// through its login and consent pages and back, then <c>GET /api/messages</c> from Swagger UI answers 200. The
    /// token request carries no client secret and the sign-in request no realm.
    /// </summary>
    [Fact]
    public async Task Swagger_ui_logs_in_with_authorization_code_and_pkce_and_calls_the_api()
    {
        var ct = Ct;
        using var certificate = LoopbackIssuer.MakeCertificate();
        var certificateFile = Path.Combine(keyDir.FullName, "provider.crt");
        var keyFile = Path.Combine(keyDir.FullName, "provider.key");
        await File.WriteAllTextAsync(certificateFile, certificate.ExportCertificatePem(), ct);
        await File.WriteAllTextAsync(keyFile, certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem(), ct);
        var providerPort = AppProcess.FreeLoopbackPort();
        // The API checks the provider's certificate for real: it trusts this one certificate, and the host name must match.
        var backchannel = new SocketsHttpHandler
        {
            SslOptions = new System.Net.Security.SslClientAuthenticationOptions
            {
                CertificateChainPolicy = new System.Security.Cryptography.X509Certificates.X509ChainPolicy
                {
                    TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust,
                    CustomTrustStore = { System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(certificate.RawData) },
                    RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
                },
            },
        };
        await using var host = app.With("Development", ("AUTH0_DOMAIN", $"localhost:{providerPort}"), ("AUTH0_AUDIENCE", TokenBuilder.Audience),
                ("AUTH0_SWAGGER_CLIENT_ID", "swagger-spa"), ("Auth0:KeySet:MinRetrySeconds", "1"), ("Database:SqlitePath", TestFiles.NewSqlitePath()))
            .WithWebHostBuilder(b => b.ConfigureServices(s => s.Configure<Microsoft.AspNetCore.Authentication.JwtBearer.JwtBearerOptions>(
                Microsoft.AspNetCore.Authentication.JwtBearer.JwtBearerDefaults.AuthenticationScheme, o => o.BackchannelHttpHandler = backchannel)));
        var server = RawHttp.StartOnLoopback(host);
        var api = server.ToString().TrimEnd('/');
        var repo = RepositoryRoot();
        var browserDir = Path.Combine(repo, "Tests", "browser");
        using var provider = Process.Start(new ProcessStartInfo("node",
            ["oidc-provider.mjs", providerPort.ToString(System.Globalization.CultureInfo.InvariantCulture), certificateFile, keyFile,
                TokenBuilder.Audience, $"{api}/swagger/oauth2-redirect.html"])
        {
            WorkingDirectory = browserDir, RedirectStandardOutput = true, RedirectStandardError = true,
        })!;
        try
        {
            Assert.Equal("ready", await provider.StandardOutput.ReadLineAsync(ct));
            using var client = new HttpClient { BaseAddress = server };
            await Eventually.TrueAsync(async () => (await client.GetAsync("/health/ready", ct)).IsSuccessStatusCode, "the provider's keys loaded", 60);

            var screenshot = Path.Combine(repo, "artifacts", "browser", "swagger-login.png");
            Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
            var (exitCode, stdout, stderr) = await NodeAsync(browserDir, ["swagger-login.mjs", api, screenshot], ct);

            Assert.True(exitCode == 0, $"swagger-login.mjs failed ({exitCode}): {stderr}");
            using var result = JsonDocument.Parse(stdout);
            Assert.Equal(200, result.RootElement.GetProperty("tokenStatus").GetInt32());
            Assert.False(result.RootElement.GetProperty("secretSent").GetBoolean());
            Assert.False(result.RootElement.GetProperty("realmSent").GetBoolean());
            Assert.Equal(200, result.RootElement.GetProperty("status").GetInt32());
            Assert.Equal(200, result.RootElement.GetProperty("shown").GetInt32());
        }
        finally
        {
            provider.Kill(entireProcessTree: true);
            await provider.WaitForExitAsync(CancellationToken.None);
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MySecureApi.slnx")))
                return dir.FullName;
        throw new InvalidOperationException("repository root (MySecureApi.slnx) not found above the test binaries");
    }

    private static async Task<(int, string, string)> NodeAsync(string workingDirectory, string[] args, CancellationToken ct)
    {
        var start = new ProcessStartInfo("node") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(120));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }
        return (process.ExitCode, (await stdout).Trim(), await stderr);
    }
}
