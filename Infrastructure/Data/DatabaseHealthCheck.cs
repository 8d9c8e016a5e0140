using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MySecureApi.Infrastructure.Data;

/// <summary>
/// Readiness: the database answers. Unreachable is <em>degraded</em>: the token routes still work, and taking every
/// instance out of rotation because the shared database is down would turn a degraded service into an outage.
/// </summary>
internal sealed class DatabaseHealthCheck<TContext>(IServiceScopeFactory scopes, DatabaseMigrator<TContext> migrator) : IHealthCheck
    where TContext : DbContext
{
    public const string Name = DatabaseState.HealthCheckName;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        try
        {
            var reachable = await scope.ServiceProvider.GetRequiredService<TContext>().Database.CanConnectAsync(cancellationToken);
            return reachable && migrator.Migrated ? HealthCheckResult.Healthy(DatabaseState.Connected) : HealthCheckResult.Degraded(DatabaseState.Unavailable);
        }
        catch (Exception e) when (DatabaseFailures.IsUnavailable(e))
        {
            return HealthCheckResult.Degraded(DatabaseState.Unavailable);
        }
    }
}
