using System.Net;
using Microsoft.Extensions.Options;

namespace MySecureApi.Infrastructure.Hosting;

/// <summary>Enabled needs at least one proxy; every proxy an address and every network a CIDR.</summary>
internal sealed class TrustedProxiesOptionsValidator : IValidateOptions<TrustedProxiesOptions>
{
    private const string Section = TrustedProxiesOptions.Section;

    public ValidateOptionsResult Validate(string? name, TrustedProxiesOptions settings)
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
