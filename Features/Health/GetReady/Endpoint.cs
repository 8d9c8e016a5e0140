using FastEndpoints;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using MySecureApi.Infrastructure.Auth.Keys;
using MySecureApi.Infrastructure.Data;
using MySecureApi.Infrastructure.Errors;
using MySecureApi.Infrastructure.Hosting;
using MySecureApi.Infrastructure.Redis;

namespace MySecureApi.Features.Health.GetReady;

/// <summary>
/// Readiness for load balancers, from the readiness health checks: ready once every issuer's signing-key set is loaded,
/// 503 (problem shape, <c>Retry-After</c>, the issuers without keys in <c>errors</c>) before, and 503 at once when the app
/// starts stopping; Redis and the database are reported but only degrade.
/// </summary>
internal sealed class Endpoint(HealthCheckService health, GracefulShutdown shutdown) : EndpointWithoutRequest<Response>
{
    public override void Configure()
    {
        Get("/health/ready");
        AllowAnonymous();
        Tags("Health");
        Summary(s => s.Summary = "Readiness probe");
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        if (shutdown.Stopping)
        {
            await ErrorResponder.WriteAsync(HttpContext, ShutdownExceptionHandler.ShuttingDown);
            return;
        }
        var report = await health.CheckHealthAsync(check => check.Tags.Contains(HealthTags.Ready), ct);
        var keys = report.Entries[SigningKeysHealthCheck.Name];
        var issuers = (IReadOnlyDictionary<string, string>)keys.Data[SigningKeysHealthCheck.Issuers];
        if (keys.Status == HealthStatus.Unhealthy)
        {
            HttpContext.Response.Headers.RetryAfter = ErrorResponder.RetryAfterSeconds((TimeSpan)keys.Data[SigningKeysHealthCheck.RetryAfter]);
            foreach (var (issuer, state) in issuers.Where(i => i.Value != SigningKeysHealthCheck.Loaded))
                ValidationFailures.Add(new FluentValidation.Results.ValidationFailure(issuer, state));
            await Send.ErrorsAsync(StatusCodes.Status503ServiceUnavailable, ct);
            return;
        }
        var redis = report.Entries[RedisHealthCheck.Name];
        var database = report.Entries.TryGetValue(DatabaseState.HealthCheckName, out var db) ? db.Description : null;
        await Send.OkAsync(new Response("ready", issuers, redis.Description == RedisHealthCheck.NotConfigured ? null : redis.Description, database), ct);
    }
}
