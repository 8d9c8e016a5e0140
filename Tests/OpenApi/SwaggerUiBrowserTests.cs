using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
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
