using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MySecureApi.Infrastructure.Auth.Keys;

/// <summary>
/// Readiness: unhealthy until every issuer's signing-key set is loaded (its tokens would get 503); starts the first
/// fetches if none ran. The result's data has each issuer's state and, when not ready, how long a client should wait.
/// </summary>
internal sealed class SigningKeysHealthCheck(TrustedIssuers issuers) : IHealthCheck
{
    public const string Name = "signing-keys";

    /// <summary>The <see cref="HealthCheckResult.Data"/> entry with the <see cref="TimeSpan"/> a client should wait.</summary>
    public const string RetryAfter = "retryAfter";

    /// <summary>The <see cref="HealthCheckResult.Data"/> entry mapping each issuer to <see cref="Loaded"/> or <see cref="NotLoaded"/>.</summary>
    public const string Issuers = "issuers";

    public const string Loaded = "keys loaded";
    public const string NotLoaded = "no signing keys yet";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        issuers.WarmUp();
        var states = issuers.All.ToDictionary(source => source.Issuer, source => source.HasKeys ? Loaded : NotLoaded);
        var data = new Dictionary<string, object> { [Issuers] = states };
        if (issuers.AllHaveKeys)
            return Task.FromResult(HealthCheckResult.Healthy("signing keys loaded", data));
        data[RetryAfter] = issuers.All.Where(source => !source.HasKeys).Min(source => source.RetryAfter);
        return Task.FromResult(HealthCheckResult.Unhealthy("no signing keys yet", data: data));
    }
}
