using FastEndpoints;
using MySecureApi.Infrastructure.Auth.Access;

namespace MySecureApi.Features.Admin.GetAdmin;

internal sealed class Endpoint : EndpointWithoutRequest<Response>
{
    public override void Configure()
    {
        Get("/api/admin");
        Permissions(Allow.AdminAccess);
        Policies(ClaimRules.AdminRole);
        Tags("Protected");
        Summary(s => s.Summary = "Administration");
    }

    public override Task HandleAsync(CancellationToken ct) =>
        Send.OkAsync(new Response("Admin access granted", User.Identity!.Name!), ct);
}
