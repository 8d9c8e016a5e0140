using System.Security.Claims;
using MySecureApi.Infrastructure.Auth.Tokens;

namespace MySecureApi.Infrastructure.Auth.Access;

/// <summary>The token acts for itself: no <c>act</c> claim (RFC 8693 §4.1) names someone acting on its subject's behalf.</summary>
public sealed class NotDelegatedRequirement : ClaimRequirement
{
    protected override bool IsSatisfied(ClaimsPrincipal user, HttpContext? http) => !ActorChain.IsDelegated(user);

    public override string Description => "the token is not delegated (no `act` claim): an agent cannot do this on a person's behalf";
}
