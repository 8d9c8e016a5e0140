using FastEndpoints;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Authorization;
using MySecureApi.Infrastructure.Auth.Challenges;
using MySecureApi.Infrastructure.Auth.Tokens;
using MySecureApi.Infrastructure.Errors;
using MySecureApi.Infrastructure.Telemetry;

namespace MySecureApi.Infrastructure.Auth.Access;

/// <summary>
/// Turns a forbidden authorization result into the documented 403: <c>insufficient_scope</c> with a challenge when the
/// token lacks what the endpoint declares in <c>Permissions(...)</c>, <c>delegation_refused</c> when a delegated token
/// calls a route that refuses them, otherwise <c>forbidden</c> (a claim rule failed).
/// Challenges go to the JwtBearer handler.
/// </summary>
internal sealed class AuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler fallback = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult result)
    {
        if (!result.Forbidden)
            return fallback.HandleAsync(next, context, policy, result);

        var endpoint = context.GetEndpoint()?.Metadata.GetMetadata<EndpointDefinition>();
        var error = endpoint is not null && EndpointAccess.MissingPermissions(context.User, endpoint) is { } permissions
            ? AuthErrors.InsufficientScope(permissions)
            : endpoint is not null && Delegation.RefusesDelegatedCalls(endpoint) && ActorChain.IsDelegated(context.User)
                ? AuthErrors.DelegationRefused
                : AuthErrors.Forbidden;
        ApiMetrics.Failure(error.Code, error.Detail);
        return ErrorResponder.WriteAsync(context, error);
    }
}
