using FastEndpoints;

namespace MySecureApi.Features.Private.GetPrivate;

internal sealed class Endpoint : EndpointWithoutRequest<Response>
{
    public override void Configure()
    {
        Get("/api/private");
        Description(d => d.WithTags("Protected"));
        Summary(s => s.Summary = "Any valid access token");
    }

    public override Task HandleAsync(CancellationToken ct) =>
        Send.OkAsync(new Response("Private endpoint", User.Identity!.Name!), ct);
}

internal sealed record Response(string Message, string User);
