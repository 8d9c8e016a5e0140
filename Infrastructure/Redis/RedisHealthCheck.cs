using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MySecureApi.Infrastructure.Redis;

/// <summary>
/// Readiness: Redis reachable or not configured. Unreachable is <em>degraded</em>, not unhealthy — limits fail open and
/// Bearer requests still work, so taking every instance out of rotation would turn a degraded service into an outage.
/// </summary>
internal sealed class RedisHealthCheck(RedisConnection redis) : IHealthCheck
{
    public const string Name = "redis";

    /// <summary>The result's description: the state <c>/health/ready</c> reports.</summary>
    public const string NotConfigured = "not configured", Connected = "connected", Unavailable = "unavailable";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(!redis.Configured ? HealthCheckResult.Healthy(NotConfigured)
            : redis.IsConnected ? HealthCheckResult.Healthy(Connected)
            : HealthCheckResult.Degraded(Unavailable));
}
