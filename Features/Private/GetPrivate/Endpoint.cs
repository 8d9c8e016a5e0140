using FastEndpoints;

namespace MySecureApi.Features.Private.GetPrivate;

internal sealed class Endpoint : EndpointWithoutRequest<Response>
{
    public override void Configure()
    {
        Get("/api/private");
        Tags("Protected");
        Summary(s => s.Summary = "Private endpoint");
    }

    public override Task HandleAsync(CancellationToken ct) =>
        Send.OkAsync(new Response("Private endpoint", User.Identity!.Name!), ct);
}
