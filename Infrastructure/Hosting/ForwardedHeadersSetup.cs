using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace MySecureApi.Infrastructure.Hosting;

/// <summary>Proxies whose <c>X-Forwarded-*</c> headers are believed (<c>ForwardedHeaders:*</c>); none by default.</summary>
public sealed class ForwardedHeadersSettings
{
    public const string Section = "ForwardedHeaders";

    public bool Enabled { get; set; }

    /// <summary>Proxy addresses, e.g. <c>10.0.0.5</c>.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Proxy networks in CIDR form, e.g. <c>10.0.0.0/8</c>.</summary>
    public string[] KnownNetworks { get; set; } = [];
}

/// <summary>
/// Client address, scheme and host from <c>X-Forwarded-For/Proto/Host</c>, only when the request comes from a
/// configured proxy (one hop). Without configuration nothing is forwarded, so a client cannot spoof them.
/// </summary>
public static class ForwardedHeadersSetup
{
    public static IApplicationBuilder UseTrustedForwardedHeaders(this IApplicationBuilder app, IConfiguration configuration)
    {
        var settings = configuration.GetSection(ForwardedHeadersSettings.Section).Get<ForwardedHeadersSettings>() ?? new();
        if (!settings.Enabled)
            return app;
        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost,
            ForwardLimit = 1,
        };
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in settings.KnownProxies)
            options.KnownProxies.Add(IPAddress.TryParse(proxy, out var address) ? address
                : throw new StartupConfigurationException($"ForwardedHeaders:KnownProxies has \"{proxy}\", not an IP address, e.g. ForwardedHeaders:KnownProxies:0=10.0.0.5"));
        foreach (var network in settings.KnownNetworks)
            options.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network, out var parsed) ? parsed
                : throw new StartupConfigurationException($"ForwardedHeaders:KnownNetworks has \"{network}\", not a CIDR network, e.g. ForwardedHeaders:KnownNetworks:0=10.0.0.0/8"));
        return app.UseForwardedHeaders(options);
    }
}
