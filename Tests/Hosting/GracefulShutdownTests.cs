using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MySecureApi.Tests.Fixtures;

namespace MySecureApi.Tests.Hosting;

/// <summary>
/// SIGTERM on the Release build under load, as a rolling deploy sends it: readiness flips to 503 first, the API keeps
/// serving through the readiness delay, then the listener closes, exit code 0; and, on Kestrel in-process, a request
/// still in its handler when the listener closes completes within the drain time.
/// </summary>
public sealed class GracefulShutdownTests(AppFixture fixture)
{
    private const int ReadinessDelaySeconds = 3;
    private const int DrainSeconds = 10;

    [Fact]
    public async Task Sigterm_under_load_drops_nothing_and_exits_0()
    {
        await using var issuer = await LoopbackIssuer.StartAsync();
        var work = Directory.CreateTempSubdirectory("mysecureapi-shutdown-");
        var port = AppProcess.FreeLoopbackPort();
        await using var app = AppProcess.StartRelease(work.FullName, issuer.ProductionApp(port, work.FullName,
            ("RateLimiting__Enabled", "false"), ("Logging__LogLevel__Default", "Warning"), ("Logging__LogLevel__MySecureApi", "Information"),
            ("Shutdown__ReadinessDelaySeconds", ReadinessDelaySeconds.ToString(CultureInfo.InvariantCulture)),
            ("Shutdown__DrainSeconds", DrainSeconds.ToString(CultureInfo.InvariantCulture))));
        var api = $"http://127.0.0.1:{port}";
        Assert.Equal(HttpStatusCode.OK, (await app.WaitForAsync($"{api}/health/ready", TimeSpan.FromSeconds(60))).StatusCode);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var token = issuer.Token().Build();
        var writer = issuer.Token().Scope("write:messages").Build();

        // Load: eight callers in a loop, until the load balancer (this test) has seen readiness flip.
        var balancerStopped = new CancellationTokenSource();
        var statuses = new System.Collections.Concurrent.ConcurrentBag<string>();
        var load = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (!balancerStopped.IsCancellationRequested)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"{api}/api/private");
                request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {token}");
                try
                {
                    statuses.Add(((int)(await client.SendAsync(request, Ct)).StatusCode).ToString(CultureInfo.InvariantCulture));
                }
                catch (HttpRequestException e)
                {
                    statuses.Add($"error: {e.HttpRequestError}");
                }
            }
        })).ToList();
        await Task.Delay(1000, Ct);

        // A slow upload: its headers and half its body are in before SIGTERM, the rest only after the listener closed.
        var rest = new TaskCompletionSource();
        var upload = new SlowContent("{\"text\":\"written during ", "a rolling restart\"}", rest.Task);
        upload.Headers.ContentType = new("application/json");
        using var post = new HttpRequestMessage(HttpMethod.Post, $"{api}/api/messages") { Content = upload };
        post.Headers.TryAddWithoutValidation("Authorization", $"Bearer {writer}");
        var posted = client.SendAsync(post, Ct);
        await upload.FirstHalfSent;

        var clock = Stopwatch.StartNew();
        Process.Start("kill", ["-TERM", app.Id.ToString(CultureInfo.InvariantCulture)])!.WaitForExit();
        HttpStatusCode ready;
        do
            ready = (await client.GetAsync($"{api}/health/ready", Ct)).StatusCode;
        while (ready == HttpStatusCode.OK && clock.Elapsed < TimeSpan.FromSeconds(ReadinessDelaySeconds));
        var flippedAfter = clock.Elapsed;
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready);
        // A balancer takes a moment to act on it; requests meanwhile are still served.
        await Task.Delay(TimeSpan.FromSeconds(1), Ct);
        await balancerStopped.CancelAsync();
        await Task.WhenAll(load);
        var servedAfterSigterm = (await client.GetAsync($"{api}/api/public", Ct)).StatusCode;

        // Past the readiness delay the listener is closed: new connections are refused. Kestrel cancels a body read still
        // pending (HTTP/1.1), so the upload that was waiting for its second half is told to go elsewhere: 503, not 500.
        await Task.Delay(TimeSpan.FromSeconds(ReadinessDelaySeconds + 1) - clock.Elapsed, Ct);
        using var newcomer = new HttpClient();
        var refused = await Record.ExceptionAsync(() => newcomer.GetAsync($"{api}/api/public", Ct));
        rest.SetResult();
        var created = await posted;
        var (exitCode, stdout, stderr) = await app.ExitAsync(TimeSpan.FromSeconds(DrainSeconds + 10));

        // Readiness flipped while the API still served (the ordering that matters), well inside the readiness delay.
        Assert.True(flippedAfter < TimeSpan.FromSeconds(ReadinessDelaySeconds), $"readiness flipped after {flippedAfter.TotalMilliseconds:0} ms");
        Assert.Equal(HttpStatusCode.OK, servedAfterSigterm);
        Assert.True(statuses.Count > 100, $"{statuses.Count} requests under load");
        Assert.All(statuses.GroupBy(s => s), g => Assert.Equal("200", g.Key));
        Assert.IsType<HttpRequestException>(refused);
        await Problem.AssertAsync(created, HttpStatusCode.ServiceUnavailable, "temporarily_unavailable", "The service is shutting down");
        Assert.Equal("1", created.Headers.GetValues("Retry-After").Single());
        Assert.True(created.Headers.ConnectionClose);
        Assert.Contains("was cut short by the shutdown: answered 503", stdout, StringComparison.Ordinal);
        Assert.Equal(0, exitCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(ReadinessDelaySeconds + DrainSeconds), $"exit after {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.DoesNotContain("Exception", stderr, StringComparison.Ordinal);
        work.Delete(recursive: true);
    }

    [Fact]
    public async Task A_request_in_its_handler_when_the_listener_closes_completes()
    {
        SlowEndpoint.Entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        SlowEndpoint.Release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        var host = fixture.With("Production", ("Shutdown:ReadinessDelaySeconds", "1"), ("Shutdown:DrainSeconds", "20"));
        var server = RawHttp.StartOnLoopback(host);
        using var client = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromSeconds(30) };
        var slow = client.GetAsync(SlowEndpoint.Route, Ct);
        await SlowEndpoint.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        var clock = Stopwatch.StartNew();
        var stopping = host.DisposeAsync().AsTask();
        HttpStatusCode ready;
        using (var probe = new HttpClient { BaseAddress = server })
            do
                ready = (await probe.GetAsync("/health/ready", Ct)).StatusCode;
            while (ready == HttpStatusCode.OK && clock.Elapsed < TimeSpan.FromSeconds(1));
        await Task.Delay(TimeSpan.FromSeconds(2), Ct);
        using var newcomer = new HttpClient { BaseAddress = server };
        var refused = await Record.ExceptionAsync(() => newcomer.GetAsync("/api/public", Ct));
        var stillRunning = !stopping.IsCompleted;
        SlowEndpoint.Release.SetResult();
        var answer = await slow;
        await stopping.WaitAsync(TimeSpan.FromSeconds(20), Ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready);
        Assert.IsType<HttpRequestException>(refused);
        Assert.True(stillRunning, "the host waited for the request in flight");
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
    }

    /// <summary>A key-set fetch still waiting on a hung issuer is cancelled when the app stops, not left to its 30 s timeout.</summary>
    [Fact]
    public async Task A_fetch_in_flight_is_cancelled_when_the_app_stops()
    {
        using var issuer = new TestIssuer { Fault = IssuerFault.Hang };
        var logs = new LogCollector();
        var host = fixture.WithIssuer(issuer, null, ("Auth0:KeySet:BackchannelTimeoutSeconds", "30"))
            .WithWebHostBuilder(b => b.ConfigureServices(s => s.AddLogging(l => l.AddProvider(logs))));
        host.CreateClient();
        await Eventually.TrueAsync(() => issuer.DiscoveryRequests == 1, "the first fetch is waiting on the issuer");

        var clock = Stopwatch.StartNew();
        await host.DisposeAsync();
        await Eventually.TrueAsync(() => issuer.CancelledRequests == 1, "the fetch was cancelled");

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"cancelled after {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.DoesNotContain(logs.Entries, e => e.Message.Contains("cannot be refreshed", StringComparison.Ordinal));
    }

    /// <summary>A JSON body sent in two parts, the second only when <paramref name="rest"/> completes.</summary>
    private sealed class SlowContent(string first, string second, Task rest) : HttpContent
    {
        private readonly TaskCompletionSource firstHalfSent = new();

        public Task FirstHalfSent => firstHalfSent.Task;

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(first));
            await stream.FlushAsync();
            firstHalfSent.SetResult();
            await rest;
            await stream.WriteAsync(Encoding.UTF8.GetBytes(second));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = Encoding.UTF8.GetByteCount(first + second);
            return true;
        }
    }
}
