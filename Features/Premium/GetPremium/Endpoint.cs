using FastEndpoints;
using MySecureApi.Infrastructure.Auth.Access;

namespace MySecureApi.Features.Premium.GetPremium;

internal sealed class Endpoint : EndpointWithoutRequest<Response>
{
    public override void Configure()
    {
        Get("/api/premium");
        Policies(ClaimRules.PremiumSubscription, ClaimRules.Verified);
        Tags("Protected");
        Summary(s => s.Summary = "Premium feature");
    }

    public override Task HandleAsync(CancellationToken ct) =>
        Send.OkAsync(new Response("Premium feature access granted"), ct);
}
