using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using MySecureApi.Infrastructure.Auth.DPoP;
using MySecureApi.Infrastructure.Auth.Settings;
using MySecureApi.Infrastructure.Telemetry;

namespace MySecureApi.Infrastructure.Auth.Tokens;

/// <summary>
/// Authentication only where it is needed: nothing for the requests <c>skip</c> names (routes that allow anonymous
/// access: a token sent there is not even read, as it could change nothing), a Bearer token already in the verified-token cache answered straight from
/// it, and every other request through ASP.NET's authentication middleware and JwtBearer, which name any failure.
/// </summary>
internal static class CachedBearerAuthentication
{
    private const string AuthenticationMiddlewareSetKey = "__AuthenticationMiddlewareSet";

    public static IApplicationBuilder Use(IApplicationBuilder app, Func<HttpContext, bool> skip)
    {
        var services = app.ApplicationServices;
        var schemes = services.GetRequiredService<IAuthenticationSchemeProvider>();
        var tokens = services.GetRequiredService<VerifiedTokens>();
        var auth0 = services.GetRequiredService<Auth0Settings>();
        var dpop = services.GetRequiredService<IOptions<DPoPOptions>>().Value;
        // What UseAuthentication() records, so that WebApplication does not add ASP.NET's middleware a second time.
        app.Properties[AuthenticationMiddlewareSetKey] = true;
        return app.Use(next =>
        {
            var authentication = new AuthenticationMiddleware(next, schemes);
            return context =>
            {
                if (skip(context))
                    return next(context);
                return FromCache(context, tokens, auth0, dpop) ? next(context) : authentication.Invoke(context);
            };
        });
    }

    /// <summary>Sets the user from a cached Bearer token; false for anything else, which JwtBearer then reads again and decides.</summary>
    private static bool FromCache(HttpContext context, VerifiedTokens tokens, Auth0Settings auth0, DPoPOptions dpop)
    {
        var read = CredentialsReader.ReadAsync(context.Request, auth0, dpop);
        if (!read.IsCompletedSuccessfully || read.Result is not { Scheme: CredentialsReader.BearerScheme } credentials
            || tokens.ValidBearerPrincipal(credentials.Token.Span, context) is not { } principal)
            return false;
        ApiMetrics.TokenChecked();
        ApiMetrics.Authenticated(principal.Actor);
        context.User = principal;
        return true;
    }
}
