// Compiled only into bench/run.py's ablation build (-c Ablation): with MYSECUREAPI_ABLATE=FastEndpoints, the three
// benchmarked routes are served by minimal API endpoints with the same bodies and access rules instead of FastEndpoints.
using System.Security.Claims;
using FastEndpoints;
using MySecureApi.Infrastructure.Auth.Access;
using MySecureApi.Infrastructure.Auth.Tokens;

namespace MySecureApi.Infrastructure.Hosting;

public static partial class Ablation
{
    private static readonly Type[] Benchmarked =
        [typeof(Features.Public.GetPublic.Endpoint), typeof(Features.Private.GetPrivate.Endpoint), typeof(Features.Admin.GetAdmin.Endpoint)];

    static partial void ExcludeBenchmarkedEndpoints(EndpointDiscoveryOptions options)
    {
        if (Removes(Piece.FastEndpoints))
            options.Filter = type => !Benchmarked.Contains(type);
    }

    static partial void MapMinimalRoutes(WebApplication app)
    {
        if (Removes(Piece.Authorization))
            app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<RouteOptions>>().Value.SuppressCheckForUnhandledSecurityMetadata = true;
        if (!Removes(Piece.FastEndpoints))
            return;
        app.MapGet("/api/public", () => new Features.Public.GetPublic.Response("Public endpoint - no authentication required")).AllowAnonymous();
        app.MapGet("/api/private", (ClaimsPrincipal user) => new Features.Private.GetPrivate.Response("Private endpoint", user.Identity!.Name!))
            .RequireAuthorization();
        app.MapGet("/api/admin", (ClaimsPrincipal user) => new Features.Admin.GetAdmin.Response("Admin access granted", user.Identity!.Name!))
            .RequireAuthorization(p => p.RequireAuthenticatedUser().RequireClaim(ClaimNames.Permissions, Allow.AdminAccess))
            .RequireAuthorization(ClaimRules.AdminRole);
    }
}
