using Microsoft.AspNetCore.Authorization;

namespace MySecureApi.Infrastructure.Auth.Access;

/// <summary>Whether the request's route allows anonymous access (<c>AllowAnonymous()</c> in its <c>Configure()</c>).</summary>
public static class AnonymousAccess
{
    public static bool IsAllowed(HttpContext context) => context.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is not null;
}
