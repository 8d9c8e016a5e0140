using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace MySecureApi.Infrastructure.Telemetry;

/// <summary>
/// Counters on the <c>MySecureApi.Auth</c> meter (readable by dotnet-counters and OpenTelemetry): auth failures by
/// <c>error</c> and fixed <c>reason</c>, key-set fetches by issuer and outcome, verified-token cache lookups, DPoP
/// proofs refused as replays, rate-limit rejections by layer; and the <c>MySecureApi.Auth</c> activity source (key-set
/// fetch spans). A failure is also written on the request's span (<see cref="ErrorTag"/>, <see cref="ReasonTag"/>):
/// only fixed texts, never token content. Without a listener every call here is a no-op check.
/// </summary>
public static class ApiMetrics
{
    public const string MeterName = "MySecureApi.Auth";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Spans of the API's own background work (key-set fetches), under <see cref="MeterName"/>.</summary>
    public static readonly ActivitySource Tracing = new(MeterName);

    public const string ErrorTag = "mysecureapi.auth.error";
    public const string ReasonTag = "mysecureapi.auth.reason";
    public const string OutcomeTag = "mysecureapi.auth.outcome";
    public const string ActorTag = "mysecureapi.auth.actor";
    private static readonly Counter<long> Failures = Meter.CreateCounter<long>("mysecureapi.auth.failures", description: "Requests refused by authentication or authorization");
    private static readonly Counter<long> Fetches = Meter.CreateCounter<long>("mysecureapi.auth.keyset.fetches", description: "Signing-key set fetch attempts");

    private static readonly Counter<long> TokensChecked = Meter.CreateCounter<long>("mysecureapi.auth.tokens_checked", description: "Requests whose access token went to validation");

    public static void TokenChecked() => TokensChecked.Add(1);

    private static readonly Counter<long> CacheLookups = Meter.CreateCounter<long>("mysecureapi.auth.token_cache", description: "Verified-token cache lookups");

    public static void TokenCache(bool hit) => CacheLookups.Add(1, new KeyValuePair<string, object?>("result", hit ? "hit" : "miss"));

    public static void Failure(string error, string? reason)
    {
        Failures.Add(1, new KeyValuePair<string, object?>("error", error), new KeyValuePair<string, object?>("reason", reason ?? error));
        Activity.Current?.SetTag(OutcomeTag, "refused").SetTag(ErrorTag, error).SetTag(ReasonTag, reason ?? error);
    }

    /// <summary>
    /// Marks the request's span as authenticated (by a verified token) and, for a delegated token, names who acts for
    /// the subject (its <c>act.sub</c>; never token text).
    /// </summary>
    public static void Authenticated(string? actor)
    {
        if (Activity.Current is not { } span)
            return;
        span.SetTag(OutcomeTag, "authenticated");
        if (actor is not null)
            span.SetTag(ActorTag, actor);
    }

    private static readonly Counter<long> Replays = Meter.CreateCounter<long>("mysecureapi.auth.dpop.replays_refused", description: "DPoP proofs refused because they were used before");

    public static void DPoPReplayRefused() => Replays.Add(1);

    private static readonly Counter<long> RateLimited = Meter.CreateCounter<long>("mysecureapi.ratelimit.rejections", description: "Requests refused by a rate-limit layer");

    public static void RateLimitRejected(string layer) => RateLimited.Add(1, new KeyValuePair<string, object?>("layer", layer));

    /// <summary>Counts one key-set fetch, tagged by issuer host (a configured value, so the tag has a bounded set of values).</summary>
    public static void KeySetFetched(string issuerHost, bool succeeded) =>
        Fetches.Add(1, new KeyValuePair<string, object?>("issuer", issuerHost), new KeyValuePair<string, object?>("outcome", succeeded ? "success" : "failure"));
}
