using FastEndpoints;
using MySecureApi.Infrastructure.Auth;

namespace MySecureApi.Features.Messages.GetMessages;

internal sealed class Endpoint : EndpointWithoutRequest<Response>
{
    public override void Configure()
    {
        Get("/api/messages");
        Permissions(Allow.ReadMessages);
        Tags("Protected");
        Summary(s => s.Summary = "The messages");
    }

    public override Task HandleAsync(CancellationToken ct) =>
        Send.OkAsync(new Response([new Message(1, "Hello from the API!")]), ct);
}
