using FastEndpoints;
using MySecureApi.Infrastructure.Auth;

namespace MySecureApi.Features.Premium.GetPremium;

internal sealed class Endpoint : EndpointWithoutRequest<Response>
{
    public override void Configure()
    {
        Get("/api/premium");
        Policy(p => p.AddRequirements(ClaimRules.PremiumSubscription, ClaimRules.Verified));
        Description(d => d.WithTags("Protected"));
        Summary(s => s.Summary = "Requires subscription = premium and verified = true (JSON boolean)");
    }

    public override Task HandleAsync(CancellationToken ct) =>
        Send.OkAsync(new Response("Premium feature access granted"), ct);
}

internal sealed record Response(string Message);
