using System.Diagnostics;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using MySecureApi.Infrastructure.Telemetry;

namespace MySecureApi.Infrastructure.Auth.Keys;

/// <summary>
/// One issuer's signing-key set. Unlike JwtBearer's stock configuration manager it never makes a request wait behind
/// a refresh once keys are loaded (stale-if-error, indefinitely), keeps at most one fetch in flight, backs off while
/// the issuer fails, refreshes for an unknown <c>kid</c> at most once per cooldown, and reports "no key set yet" so
/// that the API can answer 503 instead of a misleading 401.
/// </summary>
public sealed class SigningKeySource(string issuer, KeySetOptions settings, TimeProvider time, ILogger<SigningKeySource> logger)
{
    private readonly Lock gate = new();
    private KeySetFetcher? fetcher;
    private KeySet? current;
    private Task? inFlight;
    private DateTimeOffset nextAttemptAt = DateTimeOffset.MinValue;
    private DateTimeOffset lastAttemptAt = DateTimeOffset.MinValue;
    private int failures;
    private bool? up;

    /// <summary>The issuer identifier, <c>https://{domain}/</c>, exactly as tokens name it.</summary>
    public string Issuer { get; } = issuer;

    /// <summary>A loaded configuration and the generation of its keys, swapped as one.</summary>
    private sealed record KeySet(OpenIdConnectConfiguration Configuration, long Generation);

    /// <summary>True once a key set has been loaded (or given statically).</summary>
    public bool HasKeys => Volatile.Read(ref current) is not null;

    /// <summary>Changes whenever the set of keys changes (rotation, removal).</summary>
    public long Generation => Volatile.Read(ref current)?.Generation ?? 0;

    /// <summary>
    /// The generation of <paramref name="keys"/> — the <c>SigningKeys</c> of a configuration this source handed out —
    /// when they are still the current ones; null when a refresh has replaced them since (a token validated with them
    /// must not be remembered under the new generation).
    /// </summary>
    public long? GenerationOf(IEnumerable<SecurityKey>? keys) =>
        Volatile.Read(ref current) is { } set && ReferenceEquals(set.Configuration.SigningKeys, keys) ? set.Generation : null;

    /// <summary>How long a client should wait before trying again while no key set is available.</summary>
    public TimeSpan RetryAfter
    {
        get
        {
            lock (gate)
            {
                var wait = nextAttemptAt - time.GetUtcNow();
                return wait > TimeSpan.FromSeconds(1) ? wait : TimeSpan.FromSeconds(1);
            }
        }
    }

    /// <summary>A fetch is in flight (for tests that wait for background work).</summary>
    internal bool Fetching
    {
        get
        {
            lock (gate)
                return inFlight is not null;
        }
    }

    internal void Attach(KeySetFetcher keySetFetcher) => fetcher = keySetFetcher;

    /// <summary>The development issuer: keys given directly, never fetched.</summary>
    internal void UseStatic(OpenIdConnectConfiguration configuration)
    {
        lock (gate)
        {
            current = new KeySet(configuration, 0);
            nextAttemptAt = DateTimeOffset.MaxValue;
        }
    }

    /// <summary>Starts the first fetch in the background (startup never waits for the issuer).</summary>
    public void WarmUp()
    {
        lock (gate)
            StartFetchIfDue(time.GetUtcNow());
    }

    /// <summary>
    /// The current configuration, starting a background refresh when one is due. Before any key set was loaded,
    /// a request waits only for the fetch already in flight; null when there is still none.
    /// </summary>
    public async Task<OpenIdConnectConfiguration?> GetConfigurationAsync(CancellationToken cancel)
    {
        Task? pending;
        lock (gate)
        {
            StartFetchIfDue(time.GetUtcNow());
            if (current is not null)
                return current.Configuration;
            pending = inFlight;
        }
        if (pending is not null)
            await pending.WaitAsync(cancel);
        return Volatile.Read(ref current)?.Configuration;
    }

    /// <summary>Starts a background refresh when one is due: for requests that need no configuration (verified-token cache hits).</summary>
    public void RefreshIfDue()
    {
        lock (gate)
            StartFetchIfDue(time.GetUtcNow());
    }

    /// <summary>A token named a <c>kid</c> the set does not have: refresh, at most once per cooldown and never inside a backoff.</summary>
    public void RequestRefresh()
    {
        lock (gate)
        {
            var now = time.GetUtcNow();
            if (now - lastAttemptAt >= TimeSpan.FromSeconds(settings.UnknownKeyCooldownSeconds) && (failures == 0 || now >= nextAttemptAt))
                StartFetch(now);
        }
    }

    private void StartFetchIfDue(DateTimeOffset now)
    {
        if (now >= nextAttemptAt)
            StartFetch(now);
    }

    private void StartFetch(DateTimeOffset now)
    {
        if (inFlight is not null || fetcher is null)
            return;
        lastAttemptAt = now;
        inFlight = Task.Run(FetchAsync);
    }

    private async Task FetchAsync()
    {
        // A span of its own (not a child of the request that may have triggered it: the fetch outlives that request).
        Activity.Current = null;
        using var span = ApiMetrics.Tracing.StartActivity("signing-keys fetch", ActivityKind.Client);
        span?.SetTag("server.address", fetcher!.Host);
        KeySetFetcher.Result result;
        try
        {
            result = await fetcher!.FetchAsync();
        }
        catch (Exception e)
        {
            result = KeySetFetcher.Result.Failed($"unexpected {e.GetType().Name}");
        }
        span?.SetTag("mysecureapi.keyset.outcome", result.Configuration is null ? "failure" : "success");
        if (result.Configuration is null)
            span?.SetStatus(ActivityStatusCode.Error, result.Cause);

        bool? changedTo;
        lock (gate)
        {
            if (result.Cause == KeySetFetcher.Stopped)
            {
                inFlight = null;
                return;
            }
            var now = time.GetUtcNow();
            if (result.Configuration is { } loaded)
            {
                // Same keys: the configuration already handed out stays, so tokens validated with it can still be cached.
                if (!KeySetFetcher.SameKeys(current?.Configuration, loaded))
                    Volatile.Write(ref current, new KeySet(loaded, (current?.Generation ?? 0) + 1));
                failures = 0;
                nextAttemptAt = now + TimeSpan.FromMinutes(settings.RefreshIntervalMinutes);
            }
            else
            {
                failures++;
                var backoff = settings.MinRetrySeconds * Math.Pow(2, Math.Min(failures - 1, 20));
                nextAttemptAt = now + TimeSpan.FromSeconds(Math.Min(backoff, settings.MaxRetrySeconds));
            }
            var isUp = result.Configuration is not null;
            changedTo = up == isUp ? null : isUp;
            up = isUp;
            inFlight = null;
        }
        ApiMetrics.KeySetFetched(fetcher!.Host, result.Configuration is not null);
        if (changedTo == true)
            logger.LogInformation("Signing keys loaded from {Issuer}: {Count} key(s)", fetcher!.Host, result.Configuration!.SigningKeys.Count);
        else if (changedTo == false)
            logger.LogWarning("Signing keys from {Issuer} cannot be refreshed: {Cause}. {Consequence}", fetcher!.Host, result.Cause,
                HasKeys ? "Tokens are still validated with the last key set." : "Requests with a token get 503 until keys are loaded.");
    }
}
