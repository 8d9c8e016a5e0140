using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MySecureApi.Infrastructure.Auth.DPoP;
using MySecureApi.Tests.Fixtures;

namespace MySecureApi.Tests.Auth;

/// <summary>
/// What a client holding one DPoP-bound token can make the server keep: the app runs as its own process (the
/// development issuer mints the bound token), so its resident memory is its own, measured before and after
/// 3,000 proofs with 20,000-character <c>jti</c>s (refused) and 3,000 with 256-character ones (remembered).
/// </summary>
public sealed class DPoPReplayMemoryTests : IDisposable
{
    private const int Requests = 3_000;
    private const double MaxGrowthMegabytes = 40;
    private readonly DirectoryInfo workDir = Directory.CreateTempSubdirectory("mysecureapi-dpop-");
    private readonly DPoPKey key = DPoPKey.Es256();

    public void Dispose()
    {
        key.Dispose();
        workDir.Delete(recursive: true);
    }

    [Fact]
    public async Task Thousands_of_proofs_with_huge_jtis_leave_the_memory_bounded()
    {
        var port = AppProcess.FreeLoopbackPort();
        await using var app = AppProcess.Start(workDir.FullName, new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["DevIssuer__KeyPath"] = Path.Combine(workDir.FullName, "key.pem"),
            ["RateLimiting__Enabled"] = "false",
            // Every accepted proof is remembered (the per-key quota would otherwise turn the excess away): the worst case.
            ["Auth0__DPoP__ReplayCachePerKeyLimit"] = "10000",
            ["Logging__LogLevel__Default"] = "Warning",
        });
        var url = $"http://localhost:{port}/api/private";
        Assert.Equal(HttpStatusCode.OK, (await app.WaitForAsync($"http://localhost:{port}/health", TimeSpan.FromSeconds(30))).StatusCode);
        using var client = new HttpClient { BaseAddress = new Uri($"http://localhost:{port}") };
        var minted = await client.PostAsJsonAsync("/dev/token", new { jkt = key.Thumbprint }, Ct);
        var token = JsonDocument.Parse(await minted.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("accessToken").GetString()!;

        async Task<HttpStatusCode[]> SendAsync(int count, Func<int, string> jti)
        {
            var statuses = new HttpStatusCode[count];
            await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = Ct }, async (i, cancel) =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                request.Headers.TryAddWithoutValidation("Authorization", $"DPoP {token}");
                request.Headers.TryAddWithoutValidation("DPoP", new DPoPProofBuilder(key, "GET", url, token).With("jti", jti(i)).Build());
                using var response = await client.SendAsync(request, cancel);
                statuses[i] = response.StatusCode;
            });
            return statuses;
        }

        Assert.All(await SendAsync(300, i => $"warm-up-{i}"), s => Assert.Equal(HttpStatusCode.OK, s));
        var before = app.ResidentMegabytes();

        var huge = await SendAsync(Requests, i => $"{i:D8}{new string('j', 20_000 - 8)}");
        var longest = await SendAsync(Requests, i => $"{i:D8}{new string('k', DPoPOptions.MaxJtiLength - 8)}");
        var after = app.ResidentMegabytes();

        Assert.All(huge, s => Assert.Equal(HttpStatusCode.BadRequest, s));
        Assert.All(longest, s => Assert.Equal(HttpStatusCode.OK, s));
        var growth = after - before;
        TestContext.Current.TestOutputHelper?.WriteLine($"DPoP replay memory: RSS {before:F1} MB -> {after:F1} MB (+{growth:F1} MB) after {Requests} huge-jti and {Requests} 256-character-jti proofs");
        Assert.True(growth < MaxGrowthMegabytes, $"RSS grew by {growth:F1} MB ({before:F1} -> {after:F1} MB)");
    }
}
