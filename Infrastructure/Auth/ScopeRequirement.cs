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
        var granted = GrantedScopes(context.User);
        if (Scopes.All(granted.Contains))
            context.Succeed(this);
        return Task.CompletedTask;
    }

    private static HashSet<string> GrantedScopes(ClaimsPrincipal user)
    {
        var granted = new HashSet<string>(ClaimValues.Of(user, ClaimNames.Scope), StringComparer.Ordinal);
        granted.UnionWith(user.FindAll(ClaimNames.Permissions).Select(c => c.Value));
        return granted;
    }
}

/// <summary>Endpoint declarations: <c>Policy(p => p.RequireScopes(Scopes.ReadMessages))</c>.</summary>
public static class ScopePolicyExtensions
{
    public static AuthorizationPolicyBuilder RequireScopes(this AuthorizationPolicyBuilder policy, params string[] scopes)
        => policy.AddRequirements(new ScopeRequirement(scopes));
}
