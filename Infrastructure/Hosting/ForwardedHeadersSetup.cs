using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace MySecureApi.Infrastructure.Hosting;

/// <summary>
/// Client address, scheme and host from <c>X-Forwarded-For/Proto/Host</c>, only when the request comes from a
/// configured proxy (one hop). Without configuration nothing is forwarded, so a client cannot spoof them; enabled with
/// no proxy named, the app does not start (ASP.NET would then believe every client).
/// </summary>
public static class ForwardedHeadersSetup
{
    public static IServiceCollection AddTrustedForwardedHeaders(this IServiceCollection services)
    {
        services.AddOptions<TrustedProxiesOptions>().BindConfiguration(TrustedProxiesOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TrustedProxiesOptions>, TrustedProxiesOptionsValidator>();
        return services;
    }

    public static IApplicationBuilder UseTrustedForwardedHeaders(this IApplicationBuilder app)
    {
        var settings = app.ApplicationServices.GetRequiredService<IOptions<TrustedProxiesOptions>>().Value;
        if (!settings.Enabled || Ablation.Removes(Piece.ForwardedHeaders))
            return app;
        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost,
            ForwardLimit = 1,
        };
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in settings.KnownProxies)
            options.KnownProxies.Add(IPAddress.Parse(proxy));
        foreach (var network in settings.KnownNetworks)
            options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        return app.UseForwardedHeaders(options);
    }
}
