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
        await Eventually.TrueAsync(() => statuses.Count >= 100, "the load is running", 60);

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
        // Readiness flips while the API still serves (the ordering that matters): the 503 is an answer, so the listener
        // was still open; and the very next request is served too, as a balancer's in-flight traffic would be.
        HttpStatusCode ready;
        do
            ready = (await client.GetAsync($"{api}/health/ready", Ct)).StatusCode;
        while (ready == HttpStatusCode.OK);
        var servedAfterSigterm = (await client.GetAsync($"{api}/api/public", Ct)).StatusCode;
        await balancerStopped.CancelAsync();
        await Task.WhenAll(load);

        // Past the readiness delay the listener is closed: new connections are refused. Kestrel cancels a body read still
        // pending (HTTP/1.1), so the upload that was waiting for its second half is told to go elsewhere: 503, not 500.
        using var newcomer = new HttpClient();
        Exception? refused = null;
        await Eventually.TrueAsync(async () => (refused = await Record.ExceptionAsync(() => newcomer.GetAsync($"{api}/api/public", Ct))) is not null,
            "the listener closed after the readiness delay", 60);
        rest.SetResult();
        var created = await posted;
        var (exitCode, stdout, stderr) = await app.ExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready);
        Assert.Equal(HttpStatusCode.OK, servedAfterSigterm);
        // Not before the readiness delay: the listener stayed open at least that long.
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(ReadinessDelaySeconds), $"the listener closed after {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.True(statuses.Count > 100, $"{statuses.Count} requests under load");
        Assert.All(statuses.GroupBy(s => s), g => Assert.Equal("200", g.Key));
        Assert.IsType<HttpRequestException>(refused);
        await Problem.AssertAsync(created, HttpStatusCode.ServiceUnavailable, "temporarily_unavailable", "The service is shutting down");
        Assert.Equal("1", created.Headers.GetValues("Retry-After").Single());
        Assert.True(created.Headers.ConnectionClose);
        Assert.Contains("was cut short by the shutdown: answered 503", stdout, StringComparison.Ordinal);
        Assert.Equal(0, exitCode);
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
        await SlowEndpoint.Entered.Task.WaitAsync(TimeSpan.FromSeconds(60), Ct);

        var stopping = host.DisposeAsync().AsTask();
        HttpStatusCode ready;
        using (var probe = new HttpClient { BaseAddress = server })
            do
                ready = (await probe.GetAsync("/health/ready", Ct)).StatusCode;
            while (ready == HttpStatusCode.OK);
        // The listener closes after the readiness delay, while the slow request is still held in its handler.
        using var newcomer = new HttpClient { BaseAddress = server };
        Exception? refused = null;
        await Eventually.TrueAsync(async () => (refused = await Record.ExceptionAsync(() => newcomer.GetAsync("/api/public", Ct))) is not null,
            "the listener closed", 60);
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

        await host.DisposeAsync();
        // Cancelled by the stop, which ordered it: the fetch's own 30 s timeout cannot have fired by then.
        await Eventually.TrueAsync(() => issuer.CancelledRequests == 1, "the fetch was cancelled", 20);

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
