using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using MySecureApi.Infrastructure.Auth;

namespace MySecureApi.Infrastructure.Errors;

/// <summary>
/// Turns a forbidden authorization result into the contract's 403: <c>insufficient_scope</c> with a challenge
/// when a <see cref="ScopeRequirement"/> failed, otherwise <c>forbidden</c>. Challenges go to the JwtBearer handler.
/// </summary>
internal sealed class AuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler fallback = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult result)
    {
        if (!result.Forbidden)
            return fallback.HandleAsync(next, context, policy, result);

        var missingScopes = result.AuthorizationFailure?.FailedRequirements.OfType<ScopeRequirement>()
            .SelectMany(r => r.Scopes).Distinct().ToArray() ?? [];
        var error = missingScopes.Length > 0 ? ApiErrors.InsufficientScope(missingScopes) : ApiErrors.Forbidden;
        AuthMetrics.Failure(error.Code, error.Detail);
        return ErrorResponder.WriteAsync(context, error);
    }
}
