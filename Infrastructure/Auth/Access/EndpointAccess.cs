using System.Security.Claims;
using FastEndpoints;
using MySecureApi.Infrastructure.Auth.Tokens;

namespace MySecureApi.Infrastructure.Auth.Access;

/// <summary>
/// What a route declares in <c>Configure()</c>, asked of a user without a request: the permissions of
/// <c>Permissions(...)</c>/<c>PermissionsAll(...)</c> (exact values of exact <c>permissions</c> claims) and its named claim
/// rules. The 403 handler and the MCP tools ask it, so neither writes a route's rule again.
/// </summary>
public static class EndpointAccess
{
    /// <summary>The permissions the route declares when <paramref name="user"/> does not hold them; null when it does.</summary>
    public static IReadOnlyList<string>? MissingPermissions(ClaimsPrincipal user, EndpointDefinition endpoint) =>
        endpoint.AllowedPermissions is { Count: > 0 } permissions && !Grants(user, permissions, endpoint.AllowAnyPermission) ? permissions : null;

    /// <summary>Whether <paramref name="user"/> meets every rule the route declares that needs no request (its path-bound rules do not count as met).</summary>
    public static bool Permits(ClaimsPrincipal user, EndpointDefinition endpoint) =>
        MissingPermissions(user, endpoint) is null
        && (endpoint.PreBuiltUserPolicies ?? []).All(policy => ClaimRules.Requirements[policy].IsSatisfiedBy(user, null));

    private static bool Grants(ClaimsPrincipal user, List<string> permissions, bool any) => any
        ? permissions.Exists(p => Has(user, p))
        : permissions.TrueForAll(p => Has(user, p));

    private static bool Has(ClaimsPrincipal user, string permission) =>
        ClaimValues.Contains(user, ClaimNames.Permissions, permission, split: false);
}
