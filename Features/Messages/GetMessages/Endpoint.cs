using FastEndpoints;
using MySecureApi.Infrastructure.Auth;

namespace MySecureApi.Features.Messages.GetMessages;

internal sealed class Endpoint : EndpointWithoutRequest<Response>
{
    public override void Configure()
    {
        Get("/api/messages");
        Policy(p => p.RequireScopes(Scope.ReadMessages));
        Description(d => d.WithTags("Protected"));
        Summary(s => s.Summary = "Requires the read:messages scope or permission");
    }

    public override Task HandleAsync(CancellationToken ct) =>
        Send.OkAsync(new Response([new Message(1, "Hello from the API!")]), ct);
}

internal sealed record Response(IReadOnlyList<Message> Messages);

internal sealed record Message(int Id, string Text);
