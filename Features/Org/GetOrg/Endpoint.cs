using FastEndpoints;
using MySecureApi.Infrastructure.Auth;

namespace MySecureApi.Features.Org.GetOrg;

internal sealed class Endpoint : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Get("/api/org/{orgId}");
        Policy(p => p.AddRequirements(ClaimRules.OrgMatchesPath));
        Description(d => d.WithTags("Protected"));
        Summary(s => s.Summary = "Requires the claim org_id to equal the path's orgId");
    }

    public override Task HandleAsync(Request req, CancellationToken ct) =>
        Send.OkAsync(new Response("Organization access granted"), ct);
}

internal sealed class Request
{
    public string OrgId { get; set; } = "";
}

internal sealed record Response(string Message);
