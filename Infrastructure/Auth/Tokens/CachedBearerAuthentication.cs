using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace MySecureApi.Infrastructure.Auth.Tokens;

/// <summary>
/// Authentication only where it is needed: nothing for routes that allow anonymous access (a token sent there is not
/// even read, as it could change nothing), a Bearer token already in the verified-token cache answered straight from
/// it, and every other request through ASP.NET's authentication middleware and JwtBearer, which name any failure.
/// </summary>
internal static class CachedBearerAuthentication
{
    private const string AuthenticationMiddlewareSetKey = "__AuthenticationMiddlewareSet";

    public static IApplicationBuilder Use(IApplicationBuilder app)
    {
        var services = app.ApplicationServices;
        var schemes = services.GetRequiredService<IAuthenticationSchemeProvider>();
        var tokens = services.GetRequiredService<VerifiedTokenCache>();
        var auth0 = services.GetRequiredService<IOptions<Auth0Options>>().Value;
        // What UseAuthentication() records, so that WebApplication does not add ASP.NET's middleware a second time.
        app.Properties[AuthenticationMiddlewareSetKey] = true;
        return app.Use(next =>
        {
            var authentication = new AuthenticationMiddleware(next, schemes);
            return context =>
            {
                if (AnonymousAccess.IsAllowed(context))
                    return next(context);
                return FromCache(context, tokens, auth0) ? next(context) : authentication.Invoke(context);
            };
        });
    }

    /// <summary>Sets the user from a cached Bearer token; false for anything else, which JwtBearer then reads again and decides.</summary>
    private static bool FromCache(HttpContext context, VerifiedTokenCache tokens, Auth0Options auth0)
    {
        var read = CredentialsReader.ReadAsync(context.Request, auth0);
        if (!read.IsCompletedSuccessfully || read.Result is not { Scheme: CredentialsReader.BearerScheme } credentials
            || tokens.ValidBearerPrincipal(credentials.Token.Span) is not { } principal)
            return false;
        AuthMetrics.TokenChecked();
        AuthMetrics.Authenticated();
        context.User = principal;
        return true;
    }
}
