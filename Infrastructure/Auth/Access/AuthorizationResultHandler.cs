using System.Security.Claims;
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
/// token lacks what the endpoint declares in <c>Permissions(...)</c>, otherwise <c>forbidden</c> (a claim rule failed).
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
        var error = endpoint?.AllowedPermissions is { Count: > 0 } permissions && !Grants(context.User, permissions, endpoint.AllowAnyPermission)
            ? AuthErrors.InsufficientScope(permissions)
            : AuthErrors.Forbidden;
        ApiMetrics.Failure(error.Code, error.Detail);
        return ErrorResponder.WriteAsync(context, error);
    }

    /// <summary>The rule of <c>Permissions</c> (any) and <c>PermissionsAll</c>: exact values of exact <c>permissions</c> claims.</summary>
    private static bool Grants(ClaimsPrincipal user, List<string> permissions, bool any) => any
        ? permissions.Exists(p => Has(user, p))
        : permissions.TrueForAll(p => Has(user, p));

    private static bool Has(ClaimsPrincipal user, string permission) =>
        ClaimValues.Contains(user, ClaimNames.Permissions, permission, split: false);
}
