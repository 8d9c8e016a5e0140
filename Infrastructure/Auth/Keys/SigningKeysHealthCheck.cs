using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MySecureApi.Infrastructure.Auth.Keys;

/// <summary>Readiness: unhealthy until a signing-key set is loaded (tokens would get 503); starts the first fetch if none ran.</summary>
internal sealed class SigningKeysHealthCheck(SigningKeySource keys) : IHealthCheck
{
    public const string Name = "signing-keys";

    /// <summary>The <see cref="HealthCheckResult.Data"/> entry with the <see cref="TimeSpan"/> a client should wait.</summary>
    public const string RetryAfter = "retryAfter";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        keys.WarmUp();
        return Task.FromResult(keys.HasKeys
            ? HealthCheckResult.Healthy("signing keys loaded")
            : HealthCheckResult.Unhealthy("no signing keys yet", data: new Dictionary<string, object> { [RetryAfter] = keys.RetryAfter }));
    }
}
