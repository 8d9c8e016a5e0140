using System.Diagnostics.Metrics;

namespace MySecureApi.Infrastructure.Auth;

/// <summary>
/// Counters on the <c>MySecureApi.Auth</c> meter (readable by dotnet-counters and OpenTelemetry):
/// auth failures by <c>error</c> and fixed <c>reason</c>, and key-set fetches by issuer and outcome.
/// </summary>
public static class AuthMetrics
{
    public const string MeterName = "MySecureApi.Auth";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Failures = Meter.CreateCounter<long>("mysecureapi.auth.failures", description: "Requests refused by authentication or authorization");
    private static readonly Counter<long> Fetches = Meter.CreateCounter<long>("mysecureapi.auth.keyset.fetches", description: "Signing-key set fetch attempts");

    private static readonly Counter<long> TokensChecked = Meter.CreateCounter<long>("mysecureapi.auth.tokens_checked", description: "Requests whose access token went to validation");

    public static void TokenChecked() => TokensChecked.Add(1);

    private static readonly Counter<long> CacheLookups = Meter.CreateCounter<long>("mysecureapi.auth.token_cache", description: "Verified-token cache lookups");

    public static void TokenCache(bool hit) => CacheLookups.Add(1, new KeyValuePair<string, object?>("result", hit ? "hit" : "miss"));

    public static void Failure(string error, string? reason) =>
        Failures.Add(1, new KeyValuePair<string, object?>("error", error), new KeyValuePair<string, object?>("reason", reason ?? error));

    /// <summary>Counts one key-set fetch, tagged by issuer host (a configured value, so the tag has a bounded set of values).</summary>
    public static void KeySetFetched(string issuerHost, bool succeeded) =>
        Fetches.Add(1, new KeyValuePair<string, object?>("issuer", issuerHost), new KeyValuePair<string, object?>("outcome", succeeded ? "success" : "failure"));
}
