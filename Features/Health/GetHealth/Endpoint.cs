using FastEndpoints;

namespace MySecureApi.Features.Health.GetHealth;

internal sealed class Endpoint : EndpointWithoutRequest<Response>
{
    public override void Configure()
    {
        Get("/health");
        AllowAnonymous();
        Description(d => d.WithTags("Health"));
        Summary(s => s.Summary = "Liveness probe");
    }

    public override Task HandleAsync(CancellationToken ct) => Send.OkAsync(new Response("healthy"), ct);
}

internal sealed record Response(string Status);
