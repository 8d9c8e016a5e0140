using FastEndpoints;
using MySecureApi.Infrastructure.Auth;

namespace MySecureApi.Features.Admin.GetAdmin;

internal sealed class Endpoint : EndpointWithoutRequest<Response>
{
    public override void Configure()
    {
        Get("/api/admin");
        Policy(p => p.RequireScopes(Scope.AdminAccess).AddRequirements(ClaimRules.AdminRole));
        Description(d => d.WithTags("Protected"));
        Summary(s => s.Summary = "Requires admin:access and the claim role = admin");
    }

    public override Task HandleAsync(CancellationToken ct) =>
        Send.OkAsync(new Response("Admin access granted", User.Identity!.Name!), ct);
}

internal sealed record Response(string Message, string UserId);
