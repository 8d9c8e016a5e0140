using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;

namespace MySecureApi.Infrastructure.Auth;

/// <summary>
/// Every listed scope must be granted, either in <c>scope</c> (space-delimited string or array) or in
/// Auth0's <c>permissions</c> array; matching is exact and case-sensitive. A failure is a 403 <c>insufficient_scope</c>.
/// </summary>
public sealed class ScopeRequirement(params string[] scopes) : IAuthorizationHandler, IAuthorizationRequirement
{
    public IReadOnlyList<string> Scopes { get; } = scopes;

    public Task HandleAsync(AuthorizationHandlerContext context)
    {
        if (Scopes.All(scope => IsGranted(context.User, scope)))
            context.Succeed(this);
        return Task.CompletedTask;
    }

    private static bool IsGranted(ClaimsPrincipal user, string scope) =>
        ClaimValues.Contains(user, ClaimNames.Scope, scope) || ClaimValues.Contains(user, ClaimNames.Permissions, scope, split: false);
}

/// <summary>Endpoint declarations: <c>Policy(p => p.RequireScopes(Scopes.ReadMessages))</c>.</summary>
public static class ScopePolicyExtensions
{
    public static AuthorizationPolicyBuilder RequireScopes(this AuthorizationPolicyBuilder policy, params string[] scopes)
        => policy.AddRequirements(new ScopeRequirement(scopes));
}
