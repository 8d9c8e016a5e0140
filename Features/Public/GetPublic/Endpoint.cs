using FastEndpoints;

namespace MySecureApi.Features.Public.GetPublic;

internal sealed class Endpoint : EndpointWithoutRequest<Response>
{
    public override void Configure()
    {
        Get("/api/public");
        AllowAnonymous();
        Tags("Public");
        Summary(s => s.Summary = "Public endpoint");
    }

    public override Task HandleAsync(CancellationToken ct) =>
        Send.OkAsync(new Response("Public endpoint - no authentication required"), ct);
}
