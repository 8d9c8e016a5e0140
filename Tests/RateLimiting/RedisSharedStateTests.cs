using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MySecureApi.Infrastructure.Redis;
using MySecureApi.Tests.Fixtures;

namespace MySecureApi.Tests.RateLimiting;

/// <summary>
/// Two app instances (two hosts in this process) sharing a real redis-server: one global limit, a DPoP proof refused on
/// the other instance, and the failure policy when Redis stops (limits open, DPoP closed) and recovery when it returns.
/// </summary>
public sealed class RedisSharedStateTests(AppFixture app) : IDisposable
{
    private readonly RedisServer redis = new();
    private readonly DPoPKey key = DPoPKey.Es256();
    private readonly LogCollector logs = new();

    public void Dispose()
    {
        redis.Dispose();
        key.Dispose();
    }

    private WebApplicationFactory<Program> Instance(int subjectLimit = 4, params (string, string?)[] settings) =>
        app.With("Production", [("REDIS_URL", redis.Url), ("RateLimiting:Subject:Algorithm", "FixedWindow"),
                ("RateLimiting:Subject:PermitLimit", subjectLimit.ToString(System.Globalization.CultureInfo.InvariantCulture)), .. settings])
            .WithWebHostBuilder(b => b.ConfigureServices(s => s.AddLogging(l => l.AddProvider(logs))));

    private static async Task ConnectedAsync(WebApplicationFactory<Program> host)
    {
        host.CreateClient();
        var connection = host.Services.GetRequiredService<RedisConnection>();
        await Eventually.TrueAsync(() => connection.IsConnected, "connected to Redis");
    }

    private string Token(string subject) => app.Token().With("sub", subject).With("cnf", new JsonObject { ["jkt"] = key.Thumbprint }).Build();

    private static async Task<HttpResponseMessage> SendDPoPAsync(WebApplicationFactory<Program> host, string token, string proof)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/private");
        request.Headers.TryAddWithoutValidation("Authorization", $"DPoP {token}");
        request.Headers.TryAddWithoutValidation("DPoP", proof);
        return await host.CreateClient().SendAsync(request, Ct);
    }

    private static async Task<HttpStatusCode> DPoPAsync(WebApplicationFactory<Program> host, string token, string proof) =>
        (await SendDPoPAsync(host, token, proof)).StatusCode;

    private DPoPProofBuilder Proof(string token) => new(key, "GET", "http://localhost/api/private", token);

    private async Task<HttpResponseMessage> SendFreshDPoPAsync(WebApplicationFactory<Program> host, string token) =>
        await SendDPoPAsync(host, token, Proof(token).Build());

    private async Task<HttpStatusCode> FreshDPoPAsync(WebApplicationFactory<Program> host, string token) =>
        (await SendFreshDPoPAsync(host, token)).StatusCode;

    [Fact]
    public async Task Two_instances_enforce_one_combined_limit_per_subject()
    {
        await using var a = Instance();
        await using var b = Instance();
        await ConnectedAsync(a);
        await ConnectedAsync(b);
        var token = Token($"auth0|{Guid.NewGuid():N}");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
            statuses.Add(await FreshDPoPAsync(i % 2 == 0 ? a : b, token));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task A_proof_replayed_against_another_instance_is_refused()
    {
        await using var a = Instance(100);
        await using var b = Instance(100);
        await ConnectedAsync(a);
        await ConnectedAsync(b);
        var token = Token("auth0|replay");
        var proof = new DPoPProofBuilder(key, "GET", "http://localhost/api/private", token).Build();

        Assert.Equal(HttpStatusCode.OK, await DPoPAsync(a, token, proof));
        var replayed = await SendDPoPAsync(b, token, proof);

        var body = await Problem.AssertAsync(replayed, HttpStatusCode.BadRequest, "invalid_dpop_proof", "Authentication required");
        Assert.Equal(MySecureApi.Infrastructure.Auth.DPoP.DPoPFailure.Replayed, body.GetProperty("detail").GetString());
        Assert.Contains("error=\"invalid_dpop_proof\"", Problem.Challenge(replayed));
    }

    [Fact]
    public async Task Shared_replay_entries_have_a_fixed_size_and_a_quota_per_client_key()
    {
        await using var a = Instance(100, ("Auth0:DPoP:ReplayCachePerKeyLimit", "3"));
        await using var b = Instance(100, ("Auth0:DPoP:ReplayCachePerKeyLimit", "3"));
        await ConnectedAsync(a);
        await ConnectedAsync(b);
        var token = Token("auth0|quota");

        Assert.Equal(HttpStatusCode.OK, await DPoPAsync(a, token, Proof(token).With("jti", "j").Build()));
        Assert.Equal(HttpStatusCode.OK, await DPoPAsync(b, token, Proof(token).With("jti", new string('j', 256)).Build()));
        Assert.Equal(HttpStatusCode.OK, await DPoPAsync(a, token, Proof(token).Build()));
        var over = await SendFreshDPoPAsync(b, token);

        await Problem.AssertAsync(over, HttpStatusCode.TooManyRequests, "rate_limited", "Too many requests");
        Assert.InRange(int.Parse(over.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 300, 330);
        await using var connection = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{redis.Port}");
        var keys = connection.GetServer($"127.0.0.1:{redis.Port}").Keys(pattern: "mysecureapi:dpop:*").Select(k => k.ToString()).ToList();
        var proofs = keys.Where(k => !k.EndsWith(":n", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, proofs.Count);
        Assert.All(proofs, k => Assert.Equal(proofs[0].Length, k.Length));
        Assert.All(keys, k => Assert.True(k.Length <= 90, k));
    }

    [Fact]
    public async Task Redis_down_opens_the_limits_and_closes_dpop_then_both_recover()
    {
        await using var host = Instance(2);
        await ConnectedAsync(host);
        var client = host.CreateClient();
        var bearer = app.Token().With("sub", $"auth0|{Guid.NewGuid():N}").Build();
        var dpopToken = Token($"auth0|{Guid.NewGuid():N}");
        client.DefaultRequestHeaders.Authorization = new("Bearer", bearer);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/private", Ct)).StatusCode);

        redis.Stop();
        var connection = host.Services.GetRequiredService<RedisConnection>();
        await Eventually.TrueAsync(() => !connection.IsConnected, "the loss is noticed");

        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/private", Ct)).StatusCode);
        var refused = await SendFreshDPoPAsync(host, dpopToken);
        var problem = await Problem.AssertAsync(refused, HttpStatusCode.ServiceUnavailable, "temporarily_unavailable", "DPoP proofs cannot be checked right now");
        Assert.Equal("The DPoP replay cache is unavailable", problem.GetProperty("detail").GetString());
        Assert.Equal("5", refused.Headers.GetValues("Retry-After").Single());
        var ready = await host.CreateClient().GetStringAsync("/health/ready", Ct);
        Assert.Contains("\"redis\":\"unavailable\"", ready);
        Assert.Single(logs.Entries, e => e.Level == LogLevel.Warning && e.Message.StartsWith("Rate limit layer sub cannot reach Redis", StringComparison.Ordinal));

        redis.Start();
        await Eventually.TrueAsync(() => connection.IsConnected, "reconnected", 30);
        Assert.Equal(HttpStatusCode.OK, await FreshDPoPAsync(host, dpopToken));
        Assert.Equal(HttpStatusCode.OK, await FreshDPoPAsync(host, dpopToken));
        Assert.Equal(HttpStatusCode.TooManyRequests, await FreshDPoPAsync(host, dpopToken));
        Assert.Contains("\"redis\":\"connected\"", await host.CreateClient().GetStringAsync("/health/ready", Ct));
    }

    /// <summary>
    /// Proved by order, not by a stopwatch: Redis is a server that accepts connections and never answers, with a
    /// connect timeout of a minute, so connecting cannot conclude during the test. The app starts and answers anyway,
    /// while the connection is still being made.
    /// </summary>
    [Fact]
    public async Task Startup_never_waits_for_an_unreachable_redis()
    {
        using var blackHole = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        blackHole.Start();
        var accepted = 0;
        var accepting = Task.Run(async () =>
        {
            var held = new List<System.Net.Sockets.Socket>();
            try
            {
                while (true)
                {
                    held.Add(await blackHole.AcceptSocketAsync(Ct));
                    Interlocked.Increment(ref accepted);
                }
            }
            catch (Exception e) when (e is System.Net.Sockets.SocketException or ObjectDisposedException or OperationCanceledException)
            {
                held.ForEach(socket => socket.Dispose());
            }
        }, Ct);
        var port = ((System.Net.IPEndPoint)blackHole.LocalEndpoint).Port;
        await using var host = app.With("Production", ("REDIS_URL", $"127.0.0.1:{port},connectTimeout=60000"));

        var health = await host.CreateClient().GetAsync("/health", Ct);
        var stillConnecting = host.Services.GetRequiredService<RedisConnection>().Multiplexer is null;

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.True(stillConnecting, "the app answered only once connecting to Redis had concluded");
        // The connection attempt is real: the black hole has it.
        await Eventually.TrueAsync(() => Volatile.Read(ref accepted) > 0, "the app's connection attempt reached the server");
        blackHole.Stop();
        await accepting;
    }
}
