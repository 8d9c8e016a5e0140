using System.Security.Claims;

namespace MySecureApi.Infrastructure.Auth.Access;

/// <summary>The claim is one JSON string equal to the route value <paramref name="routeParameter"/> (exact, case-sensitive).</summary>
public sealed class ClaimMatchesRouteRequirement(string type, string routeParameter) : ClaimRequirement
{
    protected override bool IsSatisfied(ClaimsPrincipal user, HttpContext? http) =>
        http?.GetRouteValue(routeParameter) is string expected && IsSingleString(user, type, expected);

    public override string Description => $"claim `{type}` equals the path's `{{{routeParameter}}}`";
}
