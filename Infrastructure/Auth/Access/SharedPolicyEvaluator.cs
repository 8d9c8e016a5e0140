using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;
using MySecureApi.Infrastructure.Auth.Tokens;

namespace MySecureApi.Infrastructure.Auth.Access;

/// <summary>
/// ASP.NET's policy evaluation with the same outcome and less work per request. ASP.NET's evaluator is transient and
/// brings a new authorization service, handler provider, handler context and results with every request; this one is
/// built once. A policy whose requirements all succeed by their own handlers (authenticated user, the claim rules,
/// FastEndpoints' assertions) — as long as no other authorization handler is registered — is decided here; any
/// requirement that does not succeed sends the request through ASP.NET's evaluator, which then names the failure.
/// </summary>
internal sealed class SharedPolicyEvaluator : IPolicyEvaluator
{
    private static readonly Task<PolicyAuthorizationResult> Succeeded = Task.FromResult(PolicyAuthorizationResult.Success());
    private readonly PolicyEvaluator framework;
    private readonly bool requirementsDecide;

    public SharedPolicyEvaluator(IAuthorizationService authorization, IEnumerable<IAuthorizationHandler> handlers)
    {
        framework = new PolicyEvaluator(authorization);
        // With only ASP.NET's pass-through handler registered, a requirement is decided by its own handler alone.
        requirementsDecide = handlers.All(handler => handler is PassThroughAuthorizationHandler);
    }

    public Task<AuthenticateResult> AuthenticateAsync(AuthorizationPolicy policy, HttpContext context)
    {
        if (policy.AuthenticationSchemes.Count > 0)
            return framework.AuthenticateAsync(policy, context);
        var user = context.User;
        if (user is ReadOnlyPrincipal cached)
            return cached.Authenticated;
        if (context.Features.Get<IAuthenticateResultFeature>()?.AuthenticateResult is { Succeeded: true } result && ReferenceEquals(result.Principal, user))
            return Task.FromResult(result);
        return framework.AuthenticateAsync(policy, context);
    }

    public Task<PolicyAuthorizationResult> AuthorizeAsync(AuthorizationPolicy policy, AuthenticateResult authenticationResult, HttpContext context, object? resource) =>
        requirementsDecide && AllSucceed(policy, context, resource)
            ? Succeeded
            : framework.AuthorizeAsync(policy, authenticationResult, context, resource);

    /// <summary>True when every requirement succeeds by its own handler and none fails; false sends the request the framework's way.</summary>
    private static bool AllSucceed(AuthorizationPolicy policy, HttpContext context, object? resource)
    {
        var user = context.User;
        AuthorizationHandlerContext? handlerContext = null;
        foreach (var requirement in policy.Requirements)
        {
            switch (requirement)
            {
                case DenyAnonymousAuthorizationRequirement:
                    if (!IsAuthenticated(user))
                        return false;
                    break;
                case ClaimRequirement rule:
                    if (!rule.IsSatisfiedBy(user, resource as HttpContext))
                        return false;
                    break;
                case IAuthorizationHandler handler:
                    handlerContext ??= new AuthorizationHandlerContext(policy.Requirements, user, resource);
                    var handled = handler.HandleAsync(handlerContext);
                    if (!handled.IsCompletedSuccessfully)
                        return false;
                    if (handlerContext.HasFailed || handlerContext.PendingRequirements.Contains(requirement))
                        return false;
                    break;
                default:
                    return false;
            }
        }
        return true;
    }

    private static bool IsAuthenticated(System.Security.Claims.ClaimsPrincipal user)
    {
        foreach (var identity in user.Identities)
            if (identity.IsAuthenticated)
                return true;
        return false;
    }
}
