using FastEndpoints;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using MySecureApi.Infrastructure.Hosting;

namespace MySecureApi.Features.Health.GetHealth;

/// <summary>Liveness for orchestrators: the process answers and its liveness checks pass.</summary>
internal sealed class Endpoint(HealthCheckService health) : EndpointWithoutRequest<Response>
{
    public override void Configure()
    {
        Get("/health");
        AllowAnonymous();
        Tags("Health");
        Summary(s => s.Summary = "Liveness probe");
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var report = await health.CheckHealthAsync(check => check.Tags.Contains(HealthTags.Live), ct);
        if (report.Status == HealthStatus.Unhealthy)
            await Send.ErrorsAsync(StatusCodes.Status503ServiceUnavailable, ct);
        else
            await Send.OkAsync(new Response("healthy"), ct);
    }
}
