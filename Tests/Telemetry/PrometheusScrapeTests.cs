using System.Globalization;
using System.Net;
using MySecureApi.Infrastructure.Auth.Tokens;
using MySecureApi.Tests.Fixtures;

namespace MySecureApi.Tests.Telemetry;

/// <summary>
/// The app as its own process with its scrape endpoint on, a loopback HTTPS issuer, and a real Prometheus scraping it:
/// what the API counted arrives in Prometheus as series with the fixed labels.
/// </summary>
public sealed class PrometheusScrapeTests
{
    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task Prometheus_scrapes_the_auth_failures_by_reason_and_the_key_set_fetches()
    {
        await using var issuer = await LoopbackIssuer.StartAsync();
        var work = Directory.CreateTempSubdirectory("mysecureapi-metrics-");
        var port = AppProcess.FreeLoopbackPort();
        var metricsPort = AppProcess.FreeLoopbackPort();
        await using var app = AppProcess.Start(work.FullName, issuer.ProductionApp(port, work.FullName,
            ("Metrics__Prometheus__Enabled", "true"), ("Metrics__Prometheus__Port", Text(metricsPort)), ("RateLimiting__Enabled", "false")));
        var api = $"http://127.0.0.1:{port}";
        Assert.Equal(HttpStatusCode.OK, (await app.WaitForAsync($"{api}/health/ready", TimeSpan.FromSeconds(60))).StatusCode);
        using var client = new HttpClient();

        async Task<HttpStatusCode> SendAsync(string token)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{api}/api/private");
            request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {token}");
            return (await client.SendAsync(request, Ct)).StatusCode;
        }

        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.OK, await SendAsync(issuer.Token().With("jti", Text(i)).Build()));
        for (var i = 0; i < 2; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(issuer.Token().ExpiresIn(TimeSpan.FromMinutes(-5 - i)).Build()));
        for (var i = 0; i < 4; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(issuer.Token().With("jti", $"forged-{i}").SignedWith(issuer.Issuer.UnpublishedKey, keepKid: true).Build()));

        await using var prometheus = new PrometheusServer($"127.0.0.1:{metricsPort}");

        Assert.Equal(2, await prometheus.ValueAsync($"mysecureapi_auth_failures_total{{error=\"invalid_token\",reason=\"{TokenFailure.Expired}\"}}", 2, TimeSpan.FromSeconds(30)));
        Assert.Equal(4, await prometheus.ValueAsync($"mysecureapi_auth_failures_total{{reason=\"{TokenFailure.InvalidSignature}\"}}", 4, TimeSpan.FromSeconds(10)));
        Assert.Equal(1, await prometheus.ValueAsync($"mysecureapi_auth_keyset_fetches_total{{issuer=\"localhost:{issuer.Port}\",outcome=\"success\"}}", 1, TimeSpan.FromSeconds(10)));
        Assert.Equal(3, await prometheus.ValueAsync("sum(mysecureapi_auth_token_cache_total{result=\"miss\"})", 3, TimeSpan.FromSeconds(10)));
        // ASP.NET Core's own meters and the runtime's come along.
        Assert.True(await prometheus.ValueAsync("sum(http_server_request_duration_seconds_count)", 9, TimeSpan.FromSeconds(10)) >= 9);
        Assert.True(await prometheus.ValueAsync("dotnet_process_memory_working_set_bytes", 1, TimeSpan.FromSeconds(10)) > 10_000_000);
        var series = await prometheus.SeriesAsync("mysecureapi_auth_failures_total");
        Assert.All(series, labels => Assert.DoesNotContain(labels.Values, v => v.Contains("eyJ", StringComparison.Ordinal)));

        // The scrape endpoint exists only on the management port, and that port serves nothing else.
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"{api}/metrics", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"http://127.0.0.1:{metricsPort}/api/public", Ct)).StatusCode);
        using var spoofed = new HttpRequestMessage(HttpMethod.Get, $"{api}/metrics");
        spoofed.Headers.Host = $"127.0.0.1:{metricsPort}";
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(spoofed, Ct)).StatusCode);
        work.Delete(recursive: true);
    }
}
