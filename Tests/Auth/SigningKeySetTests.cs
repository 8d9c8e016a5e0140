using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using MySecureApi.Tests.Fixtures;
using MySecureApi.Infrastructure.Auth.Keys;
using MySecureApi.Infrastructure.Auth.Tokens;

namespace MySecureApi.Tests.Auth;

/// <summary>
/// The signing-key set against a failing, hanging, rotating issuer, with a controllable clock: warm-up, stale-if-error
/// for 24 h, no fetch storms, rotation, removal, the honest 503, readiness and the state-change log.
/// </summary>
public sealed class SigningKeySetTests(AppFixture app) : IAsyncDisposable
{

    private readonly TestIssuer issuer = new();
    private readonly FakeTimeProvider time = new(DateTimeOffset.UtcNow);
    private readonly LogCollector logs = new();
    private WebApplicationFactory<Program>? host;

    public async ValueTask DisposeAsync()
    {
        if (host is not null)
            await host.DisposeAsync();
        issuer.Dispose();
    }

    /// <summary>
    /// A host on the faulty issuer. The per-attempt timeout is 10 s, or 1 s where a test makes the issuer hang (so it
    /// does not wait long for it); a loaded machine can take more than 1 s for a first fetch.
    /// </summary>
    private HttpClient Start(params (string, string?)[] settings) => Start(10, settings);

    private HttpClient Start(int timeoutSeconds, params (string, string?)[] settings)
    {
        host = app.WithIssuer(issuer, time, [("Auth0:KeySet:BackchannelTimeoutSeconds", timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)), .. settings])
            .WithWebHostBuilder(b => b.ConfigureServices(s => s.AddLogging(l => l.AddProvider(logs))));
        return host.CreateClient();
    }

    private SigningKeySource Keys => host!.Services.GetRequiredService<TrustedIssuers>().All[0];

    /// <summary>Waits for the first key set; should the first attempt time out (a loaded machine), the next is let due.</summary>
    private Task WarmAsync() => Eventually.TrueAsync(() =>
    {
        if (!Keys.HasKeys && !Keys.Fetching)
        {
            time.Advance(TimeSpan.FromMinutes(10));
            Keys.RefreshIfDue();
        }
        return Keys.HasKeys && !Keys.Fetching;
    }, "keys loaded");

    /// <summary>Waits until no fetch is in flight, then checks how many attempts reached the issuer.</summary>
    private async Task AssertAttemptsAsync(int expected)
    {
        await Eventually.TrueAsync(() => !Keys.Fetching, "background fetch finished");
        Assert.Equal(expected, issuer.DiscoveryRequests);
    }

    private string TokenFor(SigningKey key) => new TokenBuilder(key).Build();

    private IEnumerable<LogCollector.Entry> KeyLogs(LogLevel level) =>
        logs.Entries.Where(e => e.Category == typeof(SigningKeySource).FullName && e.Level == level);

    private async Task AssertUnavailableAsync(HttpResponseMessage response)
    {
        await Problem.AssertAsync(response, HttpStatusCode.ServiceUnavailable, "temporarily_unavailable", "The signing keys cannot be obtained right now");
        Assert.True(int.Parse(response.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.Null(Problem.Challenge(response));
    }

    [Fact]
    public async Task Keys_are_fetched_in_the_background_at_startup()
    {
        Start();

        await Eventually.TrueAsync(() => issuer.JwksRequests == 1, "JWKS fetched without any request");
        await WarmAsync();
        Assert.Equal(1, issuer.DiscoveryRequests);
    }

    /// <summary>The app answers while its first fetch still hangs (a 60 s timeout): start-up did not wait for it.</summary>
    [Fact]
    public async Task Startup_does_not_wait_for_a_hanging_issuer()
    {
        issuer.Fault = IssuerFault.Hang;

        var client = Start(60);
        var health = await client.GetAsync("/health", Ct);

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        await Eventually.TrueAsync(() => issuer.DiscoveryRequests == 1, "the first fetch reached the issuer");
        Assert.True(Keys.Fetching, "the first fetch is still waiting on the issuer");
        Assert.Equal(0, issuer.CancelledRequests);
    }

    [Theory]
    [InlineData(IssuerFault.RefuseConnections, "connection failed (ConnectionRefused)")]
    [InlineData(IssuerFault.Http500, "HTTP 500 for /.well-known/openid-configuration")]
    [InlineData(IssuerFault.Hang, "no answer within 1 s")]
    [InlineData(IssuerFault.MalformedJson, "malformed discovery or JWKS JSON")]
    [InlineData(IssuerFault.EmptyKeySet, "the JWKS has no usable keys")]
    public async Task Cold_start_without_keys_answers_503_to_tokens_and_401_without(IssuerFault fault, string cause)
    {
        issuer.Fault = fault;
        var client = Start(1);
        await Eventually.TrueAsync(() => KeyLogs(LogLevel.Warning).Any(), "the outage is logged");

        await AssertUnavailableAsync(await client.GetPrivateAsync(TokenFor(issuer.Key)));
        await Problem.AssertUnauthorizedAsync(await client.GetAsync("/api/private", Ct));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health", Ct)).StatusCode);
        var ready = await client.GetAsync("/health/ready", Ct);
        await Problem.AssertAsync(ready, HttpStatusCode.ServiceUnavailable, "temporarily_unavailable", "The service is temporarily unavailable");
        Assert.True(ready.Headers.Contains("Retry-After"));
        var warning = Assert.Single(KeyLogs(LogLevel.Warning));
        Assert.Contains(TestIssuer.Domain, warning.Message);
        Assert.Contains(cause, warning.Message);
    }

    [Fact]
    public async Task Cold_start_burst_against_a_hanging_issuer_shares_one_fetch_bounded_by_the_timeout()
    {
        issuer.Fault = IssuerFault.Hang;
        var client = Start(1);
        var token = TokenFor(issuer.Key);

        var responses = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => client.GetPrivateAsync(token)));

        foreach (var response in responses)
            await AssertUnavailableAsync(response);
        // One fetch for the whole burst, and it ended by its own timeout: the hanging request was cancelled by the
        // client, not answered (a request per caller, or one waiting for ever, would show here).
        Assert.Equal(1, issuer.DiscoveryRequests);
        Assert.Equal(1, issuer.CancelledRequests);
    }

    [Fact]
    public async Task While_the_issuer_fails_attempts_back_off_and_requests_never_queue()
    {
        issuer.Fault = IssuerFault.RefuseConnections;
        var client = Start();
        await Eventually.TrueAsync(() => issuer.DiscoveryRequests == 1 && KeyLogs(LogLevel.Warning).Any(), "first attempt");

        for (var i = 0; i < 50; i++)
            await AssertUnavailableAsync(await client.GetPrivateAsync(TokenFor(issuer.Key)));
        await AssertAttemptsAsync(1);

        time.Advance(TimeSpan.FromSeconds(5));
        await client.GetPrivateAsync(TokenFor(issuer.Key));
        await AssertAttemptsAsync(2);
        time.Advance(TimeSpan.FromSeconds(5));
        await client.GetPrivateAsync(TokenFor(issuer.Key));
        await AssertAttemptsAsync(2);
        time.Advance(TimeSpan.FromSeconds(5));
        await client.GetPrivateAsync(TokenFor(issuer.Key));
        await AssertAttemptsAsync(3);
        Assert.Single(KeyLogs(LogLevel.Warning));
    }

    [Fact]
    public async Task Recovery_after_a_cold_start_outage()
    {
        issuer.Fault = IssuerFault.Http500;
        var client = Start();
        await Eventually.TrueAsync(() => KeyLogs(LogLevel.Warning).Any(), "the outage is logged");
        await AssertUnavailableAsync(await client.GetPrivateAsync(TokenFor(issuer.Key)));

        issuer.Fault = IssuerFault.None;
        time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(HttpStatusCode.OK, (await client.GetPrivateAsync(TokenFor(issuer.Key))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready", Ct)).StatusCode);
        Assert.Single(KeyLogs(LogLevel.Information), e => e.Message.Contains("Signing keys loaded"));
    }

    [Theory]
    [InlineData(IssuerFault.RefuseConnections)]
    [InlineData(IssuerFault.Http500)]
    [InlineData(IssuerFault.Hang)]
    [InlineData(IssuerFault.MalformedJson)]
    [InlineData(IssuerFault.EmptyKeySet)]
    public async Task After_warm_up_a_24_hour_outage_keeps_tokens_valid(IssuerFault fault)
    {
        var client = Start(fault == IssuerFault.Hang ? 1 : 10);
        await WarmAsync();
        issuer.Fault = fault;

        for (var hour = 1; hour <= 24; hour++)
        {
            time.Advance(TimeSpan.FromHours(1));
            Assert.Equal(HttpStatusCode.OK, (await client.GetPrivateAsync(TokenFor(issuer.Key))).StatusCode);
            await Eventually.TrueAsync(() => !Keys.Fetching, "background fetch finished");
        }

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready", Ct)).StatusCode);
        Assert.True(issuer.DiscoveryRequests <= 26, $"{issuer.DiscoveryRequests} discovery requests");
        await Eventually.TrueAsync(() => KeyLogs(LogLevel.Warning).Any(), "the outage is logged");
        Assert.Single(KeyLogs(LogLevel.Warning));
        Assert.Contains("still validated with the last key set", KeyLogs(LogLevel.Warning).Single().Message);
    }

    [Fact]
    public async Task Refresh_after_an_outage_replaces_the_key_set()
    {
        var client = Start();
        await WarmAsync();
        issuer.Fault = IssuerFault.RefuseConnections;
        time.Advance(TimeSpan.FromMinutes(16));
        await client.GetPrivateAsync(TokenFor(issuer.Key));
        await Eventually.TrueAsync(() => KeyLogs(LogLevel.Warning).Any(), "the outage is logged");

        using var next = new SigningKey("test-key-2");
        issuer.Published = [next];
        issuer.Fault = IssuerFault.None;
        time.Advance(TimeSpan.FromMinutes(5));
        await client.GetPrivateAsync(TokenFor(issuer.Key));

        await Eventually.TrueAsync(async () => (await client.GetPrivateAsync(TokenFor(next))).StatusCode == HttpStatusCode.OK, "new key accepted");
        await Problem.AssertInvalidTokenAsync(await client.GetPrivateAsync(TokenFor(issuer.Key)), TokenFailure.UnknownKey);
    }

    [Fact]
    public async Task Two_rotations_within_minutes_are_each_accepted_within_one_cooldown()
    {
        var client = Start();
        await WarmAsync();
        using var second = new SigningKey("test-key-2");
        using var third = new SigningKey("test-key-3");

        time.Advance(TimeSpan.FromMinutes(1));
        issuer.Published = [issuer.Key, second];
        await Problem.AssertInvalidTokenAsync(await client.GetPrivateAsync(TokenFor(second)), TokenFailure.UnknownKey);
        await Eventually.TrueAsync(async () => (await client.GetPrivateAsync(TokenFor(second))).StatusCode == HttpStatusCode.OK, "second key accepted");

        time.Advance(TimeSpan.FromSeconds(31));
        issuer.Published = [second, third];
        await client.GetPrivateAsync(TokenFor(third));
        await Eventually.TrueAsync(async () => (await client.GetPrivateAsync(TokenFor(third))).StatusCode == HttpStatusCode.OK, "third key accepted");

        Assert.Equal(3, issuer.JwksRequests);
    }

    [Fact]
    public async Task A_removed_key_stops_validating_after_the_next_scheduled_refresh()
    {
        var client = Start();
        await WarmAsync();
        using var next = new SigningKey("test-key-2");
        issuer.Published = [next];
        Assert.Equal(HttpStatusCode.OK, (await client.GetPrivateAsync(TokenFor(issuer.Key))).StatusCode);

        time.Advance(TimeSpan.FromMinutes(15));
        await client.GetPrivateAsync(TokenFor(issuer.Key));

        await Eventually.TrueAsync(async () => (await client.GetPrivateAsync(TokenFor(issuer.Key))).StatusCode == HttpStatusCode.Unauthorized, "removed key refused");
        Assert.Equal(HttpStatusCode.OK, (await client.GetPrivateAsync(TokenFor(next))).StatusCode);
    }

    [Fact]
    public async Task A_flood_of_random_kids_causes_at_most_one_refresh_per_cooldown()
    {
        var client = Start();
        await WarmAsync();
        time.Advance(TimeSpan.FromMinutes(1));

        async Task FloodAsync() => await Task.WhenAll(Enumerable.Range(0, 100).Select(_ =>
            client.GetPrivateAsync(new TokenBuilder(issuer.Key).WithHeader("kid", Guid.NewGuid().ToString("N")).Build())));

        await FloodAsync();
        await AssertAttemptsAsync(2);
        await FloodAsync();
        time.Advance(TimeSpan.FromSeconds(10));
        await FloodAsync();
        await AssertAttemptsAsync(2);

        time.Advance(TimeSpan.FromSeconds(21));
        await FloodAsync();
        await AssertAttemptsAsync(3);
        Assert.Equal(3, issuer.JwksRequests);
    }

    [Fact]
    public async Task Failures_are_logged_once_per_state_change_and_never_with_a_token()
    {
        var client = Start();
        await WarmAsync();
        var token = TokenFor(issuer.Key);
        issuer.Fault = IssuerFault.Http500;
        for (var i = 0; i < 5; i++)
        {
            time.Advance(TimeSpan.FromMinutes(16));
            await client.GetPrivateAsync(token);
            await AssertAttemptsAsync(i + 2);
        }
        issuer.Fault = IssuerFault.None;
        time.Advance(TimeSpan.FromMinutes(6));
        await client.GetPrivateAsync(token);
        await Eventually.TrueAsync(() => KeyLogs(LogLevel.Information).Count() == 2, "recovery logged");

        Assert.Single(KeyLogs(LogLevel.Warning));
        Assert.DoesNotContain(logs.Entries, e => e.Message.Contains(token[..20]) || (e.Exception?.ToString().Contains(token[..20]) ?? false));
    }

    /// <summary>The fault, the logged cause, and how many JWKS requests may reach the test issuer (none elsewhere).</summary>
    public static TheoryData<IssuerFault, string, int> UntrustworthyMetadata => new()
    {
        { IssuerFault.WrongIssuer, "the discovery document names another issuer", 1 },
        { IssuerFault.JwksOverHttp, "a metadata address is not HTTPS on the issuer's host", 0 },
        { IssuerFault.JwksOnAnotherHost, "a metadata address is not HTTPS on the issuer's host", 0 },
        { IssuerFault.JwksOnAnotherPort, "a metadata address is not HTTPS on the issuer's host", 0 },
    };

    [Theory]
    [MemberData(nameof(UntrustworthyMetadata))]
    public async Task Metadata_that_points_elsewhere_is_never_used(IssuerFault fault, string cause, int jwksRequests)
    {
        issuer.Fault = fault;
        var client = Start();
        await Eventually.TrueAsync(() => KeyLogs(LogLevel.Warning).Any(), "the refusal is logged");

        await AssertUnavailableAsync(await client.GetPrivateAsync(TokenFor(issuer.Key)));
        Assert.Contains(cause, Assert.Single(KeyLogs(LogLevel.Warning)).Message);
        Assert.False(Keys.HasKeys);
        Assert.Equal(jwksRequests, issuer.JwksRequests);
    }

    [Fact]
    public async Task A_jwks_over_1_MB_is_refused_while_streaming_and_the_previous_keys_stay()
    {
        var client = Start();
        await WarmAsync();
        using var rotated = new SigningKey("test-key-2");
        issuer.Published = [issuer.Key, rotated];
        issuer.Fault = IssuerFault.OversizedJwks;
        time.Advance(TimeSpan.FromMinutes(1));

        await client.GetPrivateAsync(TokenFor(rotated));
        await Eventually.TrueAsync(() => KeyLogs(LogLevel.Warning).Any(), "the refusal is logged");

        await Problem.AssertInvalidTokenAsync(await client.GetPrivateAsync(TokenFor(rotated)), TokenFailure.UnknownKey);
        Assert.Equal(HttpStatusCode.OK, (await client.GetPrivateAsync(TokenFor(issuer.Key))).StatusCode);
        Assert.Contains("/.well-known/jwks.json is larger than 1 MB", Assert.Single(KeyLogs(LogLevel.Warning)).Message);
        Assert.Equal(2, issuer.JwksRequests);
    }

    [Fact]
    public async Task Backoff_never_exceeds_max_retry_seconds()
    {
        issuer.Fault = IssuerFault.RefuseConnections;
        var client = Start(("Auth0:KeySet:MinRetrySeconds", "5"), ("Auth0:KeySet:MaxRetrySeconds", "12"));
        await Eventually.TrueAsync(() => issuer.DiscoveryRequests == 1 && KeyLogs(LogLevel.Warning).Any(), "first attempt");

        // 5 s, then 10 s, then capped at 12 s (uncapped it would be 20 s, 40 s…).
        foreach (var (wait, attempts) in new[] { (5, 2), (10, 3), (12, 4), (12, 5), (12, 6) })
        {
            time.Advance(TimeSpan.FromSeconds(wait - 1));
            await client.GetPrivateAsync(TokenFor(issuer.Key));
            await AssertAttemptsAsync(attempts - 1);
            time.Advance(TimeSpan.FromSeconds(1));
            await client.GetPrivateAsync(TokenFor(issuer.Key));
            await AssertAttemptsAsync(attempts);
        }
    }

    [Fact]
    public async Task Each_failure_doubles_the_wait_before_the_next_attempt()
    {
        issuer.Fault = IssuerFault.Http500;
        var client = Start(("Auth0:KeySet:MinRetrySeconds", "2"), ("Auth0:KeySet:MaxRetrySeconds", "300"));
        await Eventually.TrueAsync(() => issuer.DiscoveryRequests == 1 && KeyLogs(LogLevel.Warning).Any(), "first attempt");

        foreach (var (wait, attempts) in new[] { (2, 2), (4, 3), (8, 4), (16, 5) })
        {
            time.Advance(TimeSpan.FromSeconds(wait) - TimeSpan.FromMilliseconds(500));
            await client.GetPrivateAsync(TokenFor(issuer.Key));
            await AssertAttemptsAsync(attempts - 1);
            time.Advance(TimeSpan.FromMilliseconds(500));
            var response = await client.GetPrivateAsync(TokenFor(issuer.Key));
            await AssertAttemptsAsync(attempts);
            await AssertUnavailableAsync(response);
        }
    }

    /// <summary>
    /// A token validated with keys that a concurrent refresh has just replaced must not be remembered under the new
    /// generation (it would outlive its key until the entry lapsed). The race, made deterministic: the refresh runs
    /// inside validation (from the replay hook, a check the app leaves unset), after the handler picked the old keys.
    /// </summary>
    [Fact]
    public async Task A_token_validated_with_keys_replaced_meanwhile_is_not_cached()
    {
        var client = Start();
        await WarmAsync();
        using var next = new SigningKey("test-key-2");
        var token = TokenFor(issuer.Key);
        var bearer = host!.Services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<Microsoft.AspNetCore.Authentication.JwtBearer.JwtBearerOptions>>()
            .Get(Microsoft.AspNetCore.Authentication.JwtBearer.JwtBearerDefaults.AuthenticationScheme);
        var parameters = bearer.TokenValidationParameters.Clone();
        Assert.Null(parameters.TokenReplayValidator);
        parameters.TokenReplayValidator = (_, _, _) =>
        {
            issuer.Published = [next];
            time.Advance(TimeSpan.FromMinutes(15));
            Keys.RefreshIfDue();
            return SpinWait.SpinUntil(() => !Keys.Fetching && Keys.Generation == 2, TimeSpan.FromSeconds(30));
        };

        var validated = await host.Services.GetRequiredService<Auth0TokenHandler>().ValidateTokenAsync(token, parameters);

        Assert.True(validated.IsValid);
        Assert.Equal(2, Keys.Generation);
        Assert.Null(host.Services.GetRequiredService<VerifiedTokens>().ValidBearerPrincipal(token, new Microsoft.AspNetCore.Http.DefaultHttpContext()));
        await Problem.AssertInvalidTokenAsync(await client.GetPrivateAsync(token), TokenFailure.UnknownKey);
    }
}
