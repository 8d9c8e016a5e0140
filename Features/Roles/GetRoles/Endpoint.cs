using FastEndpoints;
using MySecureApi.Infrastructure.Auth.Access;

namespace MySecureApi.Features.Roles.GetRoles;

internal sealed class Endpoint : EndpointWithoutRequest<Response>
{
    public override void Configure()
    {
        Get("/api/roles");
        Policies(ClaimRules.EditorAndViewer);
        Tags("Protected");
        Summary(s => s.Summary = "Role check");
    }

    public override Task HandleAsync(CancellationToken ct) => Send.OkAsync(new Response("Role check passed"), ct);
}
