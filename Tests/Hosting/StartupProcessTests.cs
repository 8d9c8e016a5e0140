using System.Net;
using MySecureApi.Tests.Fixtures;

namespace MySecureApi.Tests.Hosting;

/// <summary>The app started as a process: one clear line on bad configuration, <c>.env</c>, <c>PORT</c>, <c>--urls</c>.</summary>
public sealed class StartupProcessTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly DirectoryInfo workDir = Directory.CreateTempSubdirectory("mysecureapi-");

    public void Dispose() => workDir.Delete(recursive: true);

    private AppProcess Start(string environment, params (string Name, string? Value)[] variables) =>
        AppProcess.Start(workDir.FullName, variables.Append(("ASPNETCORE_ENVIRONMENT", environment)).ToDictionary(v => v.Item1, v => v.Item2));

    private static async Task<string> SingleErrorLineAsync(AppProcess app)
    {
        var (exitCode, _, stderr) = await app.ExitAsync(Timeout);
        Assert.Equal(1, exitCode);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain("Exception", line);
        return line;
    }

    [Fact]
    public async Task Missing_domain_outside_development_exits_with_one_line_naming_it()
    {
        await using var app = Start("Production", ("AUTH0_AUDIENCE", TokenBuilder.Audience));

        Assert.Equal("error: AUTH0_DOMAIN is not set: set it to your Auth0 tenant domain, e.g. AUTH0_DOMAIN=dev-abc123.us.auth0.com",
            (await SingleErrorLineAsync(app)).TrimEnd());
    }

    [Fact]
    public async Task Dotenv_file_is_read_from_the_content_root()
    {
        await File.WriteAllTextAsync(Path.Combine(workDir.FullName, ".env"), "AUTH0_DOMAIN=dev-abc123.us.auth0.com\n", Ct);
        await using var app = Start("Production");

        Assert.StartsWith("error: AUTH0_AUDIENCE is not set", await SingleErrorLineAsync(app));
    }

    [Fact]
    public async Task Real_environment_wins_over_dotenv()
    {
        await File.WriteAllTextAsync(Path.Combine(workDir.FullName, ".env"),
            $"AUTH0_DOMAIN=dev-abc123.us.auth0.com\nAUTH0_AUDIENCE={TokenBuilder.Audience}\n", Ct);
        await using var app = Start("Production", ("AUTH0_DOMAIN", "not a domain"));

        Assert.StartsWith("error: AUTH0_DOMAIN is not a host name", await SingleErrorLineAsync(app));
    }

    [Fact]
    public async Task Forwarded_headers_without_a_named_proxy_exit_with_one_line()
    {
        await using var app = Start("Production", ("AUTH0_DOMAIN", "dev-abc123.us.auth0.com"), ("AUTH0_AUDIENCE", TokenBuilder.Audience),
            ("ForwardedHeaders__Enabled", "true"));

        Assert.StartsWith("error: ForwardedHeaders:Enabled is true but no proxy is named", await SingleErrorLineAsync(app));
    }

    [Fact]
    public async Task Migrate_command_creates_and_migrates_the_sqlite_store_then_exits()
    {
        await using var app = AppProcess.Start(workDir.FullName, new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["AUTH0_DOMAIN"] = "dev-abc123.us.auth0.com",
            ["AUTH0_AUDIENCE"] = TokenBuilder.Audience,
        }, "migrate");

        var (exitCode, stdout, stderr) = await app.ExitAsync(Timeout);

        Assert.True(exitCode == 0, stderr);
        Assert.Contains("The messages database is migrated.", stdout);
        Assert.True(File.Exists(Path.Combine(workDir.FullName, "data", "messages.db")));
    }

    [Fact]
    public async Task Malformed_port_exits_with_one_line_naming_it()
    {
        await using var app = Start("Production", ("AUTH0_DOMAIN", "dev-abc123.us.auth0.com"), ("AUTH0_AUDIENCE", TokenBuilder.Audience), ("PORT", "http"));

        Assert.StartsWith("error: PORT is not a port number", await SingleErrorLineAsync(app));
    }

    [Fact]
    public async Task Port_from_dotenv_is_served_on_loopback_in_development()
    {
        var port = AppProcess.FreeLoopbackPort();
        await File.WriteAllTextAsync(Path.Combine(workDir.FullName, ".env"),
            $"AUTH0_DOMAIN=dev-abc123.us.auth0.com\nAUTH0_AUDIENCE={TokenBuilder.Audience}\nPORT={port}\n", Ct);
        await using var app = Start("Development");

        var response = await app.WaitForAsync($"http://127.0.0.1:{port}/health", Timeout);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Urls_argument_wins_over_port()
    {
        var (port, urlsPort) = (AppProcess.FreeLoopbackPort(), AppProcess.FreeLoopbackPort());
        await using var app = AppProcess.Start(workDir.FullName, new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production", ["AUTH0_DOMAIN"] = "dev-abc123.us.auth0.com",
            ["AUTH0_AUDIENCE"] = TokenBuilder.Audience, ["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, "--urls", $"http://127.0.0.1:{urlsPort}");

        var response = await app.WaitForAsync($"http://127.0.0.1:{urlsPort}/health", Timeout);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Development_without_a_tenant_prints_the_urls_and_how_to_get_a_token()
    {
        var port = AppProcess.FreeLoopbackPort();
        await using var app = Start("Development", ("PORT", port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("DevIssuer__KeyPath", Path.Combine(workDir.FullName, "key.pem")));
        Assert.Equal(HttpStatusCode.OK, (await app.WaitForAsync($"http://127.0.0.1:{port}/health", Timeout)).StatusCode);

        var (_, stdout, _) = await app.StopAsync(Timeout);

        var url = $"http://localhost:{port}";
        Assert.Contains($"Server running on {url}", stdout);
        Assert.Contains($"Public endpoint: {url}/api/public", stdout);
        Assert.Contains($"Private endpoint: {url}/api/private", stdout);
        Assert.Contains($"Swagger UI: {url}/swagger", stdout);
        Assert.Contains("TOKEN=$(dotnet run -v q -- token --scope read:messages)", stdout);
        Assert.Contains($"curl -H \"Authorization: Bearer $TOKEN\" {url}/api/messages", stdout);
    }

    /// <summary>
    /// Started from a working directory without the app's <c>appsettings.json</c> (a service unit without a working
    /// directory), the shipped settings still hold: here, its log levels keep ASP.NET's two Information lines per request
    /// and EF Core's per-command lines out of the output.
    /// </summary>
    [Fact]
    public async Task The_shipped_settings_hold_when_started_from_another_directory()
    {
        Assert.False(File.Exists(Path.Combine(workDir.FullName, "appsettings.json")));
        var port = AppProcess.FreeLoopbackPort();
        await using var app = Start("Production", ("AUTH0_DOMAIN", "dev-abc123.us.auth0.com"), ("AUTH0_AUDIENCE", TokenBuilder.Audience),
            ("PORT", port.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(HttpStatusCode.OK, (await app.WaitForAsync($"http://127.0.0.1:{port}/health", Timeout)).StatusCode);
        using var client = new HttpClient();
        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"http://127.0.0.1:{port}/api/public", Ct)).StatusCode);

        var (_, stdout, _) = await app.StopAsync(Timeout);

        // The log was written through to the end (the shutdown lines come after the requests)…
        Assert.Contains("Application is shutting down", stdout);
        Assert.Contains($"Content root path: {workDir.FullName}", stdout);
        // …and holds no per-request line and no EF Core command (the migration at start-up ran commands).
        Assert.DoesNotContain("Request starting", stdout);
        Assert.DoesNotContain("Request finished", stdout);
        Assert.DoesNotContain("Executed DbCommand", stdout);
    }
}
