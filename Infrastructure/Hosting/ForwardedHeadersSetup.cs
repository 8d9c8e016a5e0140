using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

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
/// configured proxy (one hop). Without configuration nothing is forwarded, so a client cannot spoof them; enabled with
/// no proxy named, the app does not start (ASP.NET would then believe every client).
/// </summary>
public static class ForwardedHeadersSetup
{
    public static IServiceCollection AddTrustedForwardedHeaders(this IServiceCollection services)
    {
        services.AddOptions<ForwardedHeadersSettings>().BindConfiguration(ForwardedHeadersSettings.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ForwardedHeadersSettings>, ForwardedHeadersSettingsValidator>();
        return services;
    }

    public static IApplicationBuilder UseTrustedForwardedHeaders(this IApplicationBuilder app)
    {
        var settings = app.ApplicationServices.GetRequiredService<IOptions<ForwardedHeadersSettings>>().Value;
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
            options.KnownProxies.Add(IPAddress.Parse(proxy));
        foreach (var network in settings.KnownNetworks)
            options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        return app.UseForwardedHeaders(options);
    }
}

/// <summary>Enabled needs at least one proxy; every proxy an address and every network a CIDR.</summary>
internal sealed class ForwardedHeadersSettingsValidator : IValidateOptions<ForwardedHeadersSettings>
{
    private const string Section = ForwardedHeadersSettings.Section;

    public ValidateOptionsResult Validate(string? name, ForwardedHeadersSettings settings)
    {
        if (!settings.Enabled)
            return ValidateOptionsResult.Success;
        if (settings.KnownProxies.Length == 0 && settings.KnownNetworks.Length == 0)
            return ValidateOptionsResult.Fail($"{Section}:Enabled is true but no proxy is named, so every client could forge its address: set {Section}:KnownProxies:0 (e.g. 10.0.0.5) or {Section}:KnownNetworks:0 (e.g. 10.0.0.0/8)");
        if (settings.KnownProxies.FirstOrDefault(p => !IPAddress.TryParse(p, out _)) is { } proxy)
            return ValidateOptionsResult.Fail($"{Section}:KnownProxies has \"{proxy}\", not an IP address, e.g. {Section}:KnownProxies:0=10.0.0.5");
        if (settings.KnownNetworks.FirstOrDefault(n => !System.Net.IPNetwork.TryParse(n, out _)) is { } network)
            return ValidateOptionsResult.Fail($"{Section}:KnownNetworks has \"{network}\", not a CIDR network, e.g. {Section}:KnownNetworks:0=10.0.0.0/8");
        return ValidateOptionsResult.Success;
    }
}
