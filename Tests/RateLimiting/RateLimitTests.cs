using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using MySecureApi.Infrastructure.Telemetry;
using MySecureApi.Tests.Fixtures;

namespace MySecureApi.Tests.RateLimiting;

/// <summary>Runs alone: it counts process-wide metrics to prove the IP layer turns requests away before token validation.</summary>
[CollectionDefinition(DisableParallelization = true)]
public sealed class SerialMetricsCollection;

/// <summary>The two in-memory layers: exact limits, Retry-After, before-validation rejection, partitions, proxies.</summary>
[Collection(typeof(SerialMetricsCollection))]
public sealed class RateLimitTests(AppFixture app)
{

    private WebApplicationFactory<Program> Host(params (string, string?)[] settings) => app.With("Production", settings);

    private static async Task<HttpResponseMessage> GetAsync(HttpClient client, string path, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Origin", "https://app.example.com");
        if (token is not null)
            request.Headers.Authorization = new("Bearer", token);
        return await client.SendAsync(request, Ct);
    }

    private static async Task AssertRateLimitedAsync(HttpResponseMessage response, int maxRetryAfter)
    {
        await Problem.AssertAsync(response, HttpStatusCode.TooManyRequests, "rate_limited", "Too many requests");
        var retryAfter = int.Parse(response.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, maxRetryAfter);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Null(Problem.Challenge(response));
    }

    [Fact]
    public async Task Ip_limit_is_hit_exactly_at_the_configured_count()
    {
        await using var host = Host(("RateLimiting:Ip:Algorithm", "FixedWindow"), ("RateLimiting:Ip:PermitLimit", "5"), ("RateLimiting:Ip:WindowSeconds", "60"));
        var client = host.CreateClient();

        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/api/public")).StatusCode);
        await AssertRateLimitedAsync(await GetAsync(client, "/api/public"), 60);
        await AssertRateLimitedAsync(await GetAsync(client, "/health"), 60);
    }

    [Fact]
    public async Task Token_bucket_retry_after_is_the_refill_period()
    {
        await using var host = Host(("RateLimiting:Ip:Algorithm", "TokenBucket"), ("RateLimiting:Ip:PermitLimit", "2"),
            ("RateLimiting:Ip:TokensPerPeriod", "1"), ("RateLimiting:Ip:WindowSeconds", "10"));
        var client = host.CreateClient();

        await GetAsync(client, "/api/public");
        await GetAsync(client, "/api/public");

        await AssertRateLimitedAsync(await GetAsync(client, "/api/public"), 10);
    }

    [Fact]
    public async Task Sliding_window_limit_is_hit_exactly_at_the_configured_count()
    {
        await using var host = Host(("RateLimiting:Ip:PermitLimit", "3"));
        var client = host.CreateClient();

        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/api/public")).StatusCode);
        await AssertRateLimitedAsync(await GetAsync(client, "/api/public"), 60);
    }

    [Fact]
    public async Task Ip_layer_turns_forged_tokens_away_before_any_validation()
    {
        await using var host = Host(("RateLimiting:Ip:Algorithm", "FixedWindow"), ("RateLimiting:Ip:PermitLimit", "5"));
        var client = host.CreateClient();
        long checkedTokens = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument is { Name: "mysecureapi.auth.tokens_checked", Meter.Name: ApiMetrics.MeterName })
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref checkedTokens, value));
        listener.Start();
        var forged = app.Token().SignedWith(app.Issuer.UnpublishedKey, keepKid: true).Build();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 50; i++)
            statuses.Add((await GetAsync(client, "/api/private", forged)).StatusCode);

        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.Unauthorized));
        Assert.Equal(45, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.Equal(5, Interlocked.Read(ref checkedTokens));
    }

    [Fact]
    public async Task Subjects_do_not_share_a_budget()
    {
        await using var host = Host(("RateLimiting:Subject:Algorithm", "FixedWindow"), ("RateLimiting:Subject:PermitLimit", "3"));
        var client = host.CreateClient();
        var alice = app.Token().With("sub", "auth0|alice").Build();
        var bob = app.Token().With("sub", "auth0|bob").Build();

        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/api/private", alice)).StatusCode);
        await AssertRateLimitedAsync(await GetAsync(client, "/api/private", alice), 60);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/api/private", bob)).StatusCode);
    }

    [Fact]
    public async Task Anonymous_routes_use_the_ip_layer_only()
    {
        await using var host = Host(("RateLimiting:Subject:Algorithm", "FixedWindow"), ("RateLimiting:Subject:PermitLimit", "1"));
        var client = host.CreateClient();
        var token = app.Token().Build();

        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/api/public", token)).StatusCode);
    }

    [Fact]
    public async Task Limiting_can_be_switched_off()
    {
        await using var host = Host(("RateLimiting:Enabled", "false"), ("RateLimiting:Ip:PermitLimit", "1"));
        var client = host.CreateClient();

        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/api/public")).StatusCode);
    }

    [Fact]
    public async Task Spoofed_x_forwarded_for_does_not_change_the_partition()
    {
        await using var host = Host(("RateLimiting:Ip:Algorithm", "FixedWindow"), ("RateLimiting:Ip:PermitLimit", "2"));

        var statuses = new List<int>();
        for (var i = 0; i < 3; i++)
            statuses.Add(await SendFromAsync(host, "198.51.100.7", $"203.0.113.{i}"));

        Assert.Equal([200, 200, 429], statuses);
    }

    [Fact]
    public async Task Behind_a_trusted_proxy_the_forwarded_client_is_the_partition()
    {
        await using var host = Host(("RateLimiting:Ip:Algorithm", "FixedWindow"), ("RateLimiting:Ip:PermitLimit", "2"),
            ("ForwardedHeaders:Enabled", "true"), ("ForwardedHeaders:KnownNetworks:0", "10.0.0.0/8"));

        var statuses = new List<int>
        {
            await SendFromAsync(host, "10.0.0.5", "203.0.113.1"),
            await SendFromAsync(host, "10.0.0.5", "203.0.113.1"),
            await SendFromAsync(host, "10.0.0.5", "203.0.113.1"),
            await SendFromAsync(host, "10.0.0.5", "203.0.113.2"),
            await SendFromAsync(host, "198.51.100.7", "203.0.113.2"),
            await SendFromAsync(host, "198.51.100.7", "203.0.113.3"),
            await SendFromAsync(host, "198.51.100.7", "203.0.113.4"),
        };

        Assert.Equal([200, 200, 429, 200, 200, 200, 429], statuses);
    }

    [Theory]
    [InlineData("203.0.113.9", "203.0.113.9")]
    [InlineData("::ffff:203.0.113.9", "203.0.113.9")]
    [InlineData("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2:ffff::1", "2001:db8:1:2::/64")]
    public void Ipv6_clients_are_partitioned_by_their_64(string address, string partition) =>
        Assert.Equal(partition, MySecureApi.Infrastructure.RateLimiting.RateLimitingSetup.ClientPartition(IPAddress.Parse(address)));

    private static async Task<int> SendFromAsync(WebApplicationFactory<Program> host, string remoteIp, string forwardedFor)
    {
        var context = await host.Server.SendAsync(c =>
        {
            c.Request.Method = "GET";
            c.Request.Path = "/api/public";
            c.Connection.RemoteIpAddress = IPAddress.Parse(remoteIp);
            c.Request.Headers["X-Forwarded-For"] = forwardedFor;
        }, Ct);
        return context.Response.StatusCode;
    }
}
