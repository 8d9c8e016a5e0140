using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MySecureApi.Infrastructure.Auth.Keys;
using MySecureApi.Infrastructure.Auth.Tokens;
using MySecureApi.Infrastructure.Telemetry;
using MySecureApi.Tests.Fixtures;
using MySecureApi.Tests.RateLimiting;

namespace MySecureApi.Tests.Auth;

/// <summary>The verified-token cache: hits skip validation, yet expiry, key removal and tampering are still caught.</summary>
[Collection(typeof(SerialMetricsCollection))]
public sealed class VerifiedTokenCacheTests(AppFixture app) : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly ConcurrentQueue<string> lookups = new();

    public void Dispose() => listener.Dispose();

    private void CountLookups()
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument is { Name: "mysecureapi.auth.token_cache", Meter.Name: ApiMetrics.MeterName })
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) => lookups.Enqueue((string)tags.ToArray().Single(t => t.Key == "result").Value!));
        listener.Start();
    }

    [Fact]
    public async Task A_reused_token_is_validated_once_and_then_served_from_the_cache()
    {
        await using var host = app.With("Production");
        var client = host.CreateClient();
        var token = app.Token().Build();
        CountLookups();

        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.OK, (await client.GetPrivateAsync(token)).StatusCode);

        Assert.Equal(["miss", "hit", "hit"], lookups);
    }

    [Fact]
    public async Task The_cache_can_be_switched_off()
    {
        await using var host = app.With("Production", ("Auth0:TokenCache:Enabled", "false"));
        var client = host.CreateClient();
        var token = app.Token().Build();
        CountLookups();

        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.OK, (await client.GetPrivateAsync(token)).StatusCode);

        Assert.Empty(lookups);
    }

    /// <summary>
    /// Token lifetimes are judged by the system clock (as Microsoft.IdentityModel judges them), so these tests wait for
    /// real time to pass: the host is warmed up first (keys loaded) so that the token's first use is one in-memory
    /// request, and each token gets seconds of slack before the instant the test is about; then the test waits until
    /// the clock is past that instant, however long that takes.
    /// </summary>
    private static async Task<HttpClient> WarmedUpAsync(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> host, AppFixture app)
    {
        var client = host.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetPrivateAsync(app.Token().With("sub", "auth0|warm-up").Build())).StatusCode);
        return client;
    }

    private static async Task WaitUntilPastAsync(DateTimeOffset instant)
    {
        while (DateTimeOffset.UtcNow <= instant)
            await Task.Delay(instant - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(50), Ct);
    }

    [Fact]
    public async Task A_cached_token_still_expires_on_time()
    {
        await using var host = app.With("Production", ("Auth0:ClockToleranceSeconds", "0"));
        var client = await WarmedUpAsync(host, app);
        var expires = DateTimeOffset.UtcNow.AddSeconds(5);
        var token = app.Token().With("exp", expires.ToUnixTimeSeconds()).Build();
        Assert.Equal(HttpStatusCode.OK, (await client.GetPrivateAsync(token)).StatusCode);

        await WaitUntilPastAsync(DateTimeOffset.FromUnixTimeSeconds(expires.ToUnixTimeSeconds()).AddSeconds(1));

        await Problem.AssertInvalidTokenAsync(await client.GetPrivateAsync(token), TokenFailure.Expired);
    }

    /// <summary>
    /// <c>maxTokenAge</c> is a rule time can break: a token young enough when it was cached must be refused once it
    /// is too old, though its entry is still there (it lives until <c>exp</c> or 10 minutes).
    /// </summary>
    [Fact]
    public async Task A_cached_token_still_gets_too_old()
    {
        await using var host = app.With("Production", ("Auth0:ClockToleranceSeconds", "0"), ("Auth0:MaxTokenAgeSeconds", "5"));
        var client = await WarmedUpAsync(host, app);
        var issued = DateTimeOffset.UtcNow;
        var token = app.Token().With("iat", issued.ToUnixTimeSeconds()).Build();
        CountLookups();
        Assert.Equal(HttpStatusCode.OK, (await client.GetPrivateAsync(token)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetPrivateAsync(token)).StatusCode);

        await WaitUntilPastAsync(DateTimeOffset.FromUnixTimeSeconds(issued.ToUnixTimeSeconds()).AddSeconds(6));

        await Problem.AssertInvalidTokenAsync(await client.GetPrivateAsync(token), TokenFailure.TooOld);
        Assert.Equal(["miss", "hit", "hit"], lookups);
    }

    [Fact]
    public async Task A_cached_dpop_bound_token_still_gets_too_old()
    {
        await using var host = app.With("Production", ("Auth0:ClockToleranceSeconds", "0"), ("Auth0:MaxTokenAgeSeconds", "5"));
        var client = await WarmedUpAsync(host, app);
        using var key = DPoPKey.Es256();
        var issued = DateTimeOffset.UtcNow;
        var token = app.Token().With("iat", issued.ToUnixTimeSeconds()).With("cnf", new System.Text.Json.Nodes.JsonObject { ["jkt"] = key.Thumbprint }).Build();
        async Task<HttpResponseMessage> SendAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/private");
            request.Headers.TryAddWithoutValidation("Authorization", $"DPoP {token}");
            request.Headers.TryAddWithoutValidation("DPoP", new DPoPProofBuilder(key, "GET", "http://localhost/api/private", token).Build());
            return await client.SendAsync(request, Ct);
        }
        CountLookups();
        Assert.Equal(HttpStatusCode.OK, (await SendAsync()).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync()).StatusCode);

        await WaitUntilPastAsync(DateTimeOffset.FromUnixTimeSeconds(issued.ToUnixTimeSeconds()).AddSeconds(6));

        var body = await Problem.AssertAsync(await SendAsync(), HttpStatusCode.Unauthorized, "invalid_token", "Authentication required");
        Assert.Equal(TokenFailure.TooOld, body.GetProperty("detail").GetString());
        Assert.Equal(["miss", "hit", "hit"], lookups);
    }

    [Fact]
    public async Task A_key_removed_from_the_jwks_stops_cached_tokens_at_once()
    {
        using var issuer = new TestIssuer();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = app.WithIssuer(issuer, time);
        var client = host.CreateClient();
        var keys = host.Services.GetRequiredService<TrustedIssuers>().All[0];
        await Eventually.TrueAsync(() => keys.HasKeys, "keys loaded");
        var token = new TokenBuilder(issuer.Key).Build();
        Assert.Equal(HttpStatusCode.OK, (await client.GetPrivateAsync(token)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetPrivateAsync(token)).StatusCode);

        using var next = new SigningKey("test-key-2");
        issuer.Published = [next];
        var generation = keys.Generation;
        time.Advance(TimeSpan.FromMinutes(15));
        await client.GetPrivateAsync(token);
        await Eventually.TrueAsync(() => keys.Generation != generation, "the new key set is loaded");

        await Problem.AssertInvalidTokenAsync(await client.GetPrivateAsync(token), TokenFailure.UnknownKey);
    }

    [Fact]
    public async Task Two_tokens_differing_in_one_character_never_share_an_entry()
    {
        await using var host = app.With("Production");
        var client = host.CreateClient();
        var token = app.Token().Build();
        Assert.Equal(HttpStatusCode.OK, (await client.GetPrivateAsync(token)).StatusCode);
        var last = token[^2] == 'A' ? 'B' : 'A';
        var sibling = token[..^2] + last + token[^1];

        await Problem.AssertInvalidTokenAsync(await client.GetPrivateAsync(sibling), TokenFailure.InvalidSignature);
        Assert.Equal(HttpStatusCode.OK, (await client.GetPrivateAsync(token)).StatusCode);
    }

    [Fact]
    public async Task A_tampered_token_is_not_accepted_through_the_cache()
    {
        await using var host = app.With("Production");
        var client = host.CreateClient();
        var genuine = app.Token().Build();
        Assert.Equal(HttpStatusCode.OK, (await client.GetPrivateAsync(genuine)).StatusCode);
        var forged = app.Token().With("sub", "auth0|admin");
        var tampered = $"{TokenBuilder.Encode(forged.Header)}.{TokenBuilder.Encode(forged.Payload)}.{genuine.Split('.')[2]}";

        await Problem.AssertInvalidTokenAsync(await client.GetPrivateAsync(tampered), TokenFailure.InvalidSignature);
    }
}
