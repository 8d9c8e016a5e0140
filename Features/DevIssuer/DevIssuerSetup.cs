using Microsoft.Extensions.Options;
using MySecureApi.Infrastructure.Auth.Keys;
using MySecureApi.Infrastructure.Auth.Settings;
using MySecureApi.Infrastructure.Hosting;
using MySecureApi.Infrastructure.OpenApi;

namespace MySecureApi.Features.DevIssuer;

/// <summary>
/// The built-in development issuer: active only in Development without <c>AUTH0_DOMAIN</c>. Its key is loaded lazily,
/// so outside that mode it is never read or created.
/// </summary>
public static class DevIssuerSetup
{
    /// <summary>
    /// Declares a development-issuer route: anonymous, tagged, and answering 404 (the documented <c>not_found</c>)
    /// whenever the development issuer is not active or the client is not on this machine. A per-request check,
    /// because FastEndpoints applies its endpoint filter once per process, not once per app.
    /// </summary>
    public static void DevIssuerOnly(this FastEndpoints.BaseEndpoint endpoint)
    {
        endpoint.Definition.AllowAnonymous();
        endpoint.Definition.Tags(DocumentTags.DevelopmentIssuer);
        endpoint.Definition.Options(route => route.AddEndpointFilter(async (context, next) =>
            IsActive(context.HttpContext.RequestServices) && IsLocal(context.HttpContext.Connection) ? await next(context) : Results.NotFound()));
    }

    /// <summary>
    /// The development issuer mints any claims for anyone who can call it, so it answers only this machine: a loopback
    /// client, or a connection without an IP address (a Unix socket, the in-process test server). Containers that
    /// listen on 0.0.0.0 therefore do not expose it.
    /// </summary>
    public static bool IsLocal(ConnectionInfo connection) =>
        connection.RemoteIpAddress is not { } address || System.Net.IPAddress.IsLoopback(address);

    public static IServiceCollection AddDevIssuer(this IServiceCollection services)
    {
        services.AddOptions<DevIssuerOptions>().BindConfiguration(DevIssuerOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DevIssuerOptions>, DevIssuerOptionsValidator>();
        services.AddSingleton<DevSigningKey>();
        services.AddSingleton<ILocalSigningKey>(sp => sp.GetRequiredService<DevSigningKey>());
        services.AddSingleton<DevTokenFactory>();
        services.AddSingleton<IStartupBannerSection, DevIssuerBannerSection>();
        return services;
    }

    public static bool IsActive(IServiceProvider services) =>
        services.GetRequiredService<Auth0Settings>().UsesDevelopmentIssuer;
}
