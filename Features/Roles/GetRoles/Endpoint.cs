using FastEndpoints;
using MySecureApi.Infrastructure.Auth;

namespace MySecureApi.Features.Roles.GetRoles;

internal sealed class Endpoint : EndpointWithoutRequest<Response>
{
    public override void Configure()
    {
        Get("/api/roles");
        Policy(p => p.AddRequirements(ClaimRules.EditorAndViewer));
        Description(d => d.WithTags("Protected"));
        Summary(s => s.Summary = "Requires the roles claim to include editor and viewer");
    }

    public override Task HandleAsync(CancellationToken ct) => Send.OkAsync(new Response("Role check passed"), ct);
}

internal sealed record Response(string Message);
