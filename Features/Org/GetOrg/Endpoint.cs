using FastEndpoints;
using MySecureApi.Infrastructure.Auth.Access;

namespace MySecureApi.Features.Org.GetOrg;

internal sealed class Endpoint : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Get("/api/org/{orgId}");
        Policies(ClaimRules.OrgMatchesPath);
        Tags("Protected");
        Summary(s => s.Summary = "An organization's area");
    }

    public override Task HandleAsync(Request req, CancellationToken ct) =>
        Send.OkAsync(new Response("Organization access granted"), ct);
}
