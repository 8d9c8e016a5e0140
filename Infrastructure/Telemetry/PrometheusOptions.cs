using System.Net;
using Microsoft.Extensions.Options;
using MySecureApi.Infrastructure.Hosting;

namespace MySecureApi.Infrastructure.Telemetry;

/// <summary>
/// The opt-in Prometheus scrape endpoint: <c>/metrics</c> on a management listener of its own (loopback by default),
/// so the metrics are never public by accident.
/// </summary>
public sealed class PrometheusOptions
{
    public const string Section = "Metrics:Prometheus";
    public const string Path = "/metrics";

    public bool Enabled { get; set; }

    /// <summary>The management port, distinct from the API's.</summary>
    public int Port { get; set; } = 9464;

    /// <summary>The address the management port listens on: loopback unless a scraper elsewhere needs it.</summary>
    public string Host { get; set; } = "127.0.0.1";

    public string Url => $"http://{(IPAddress.TryParse(Host, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{Host}]" : Host)}:{Port}";
}

internal sealed class PrometheusOptionsValidator(IConfiguration configuration) : IValidateOptions<PrometheusOptions>
{
    public ValidateOptionsResult Validate(string? name, PrometheusOptions options)
    {
        if (!options.Enabled)
            return ValidateOptionsResult.Success;
        if (SettingRules.Range($"{PrometheusOptions.Section}:Port", options.Port, 1, 65535, 9464) is { } range)
            return ValidateOptionsResult.Fail(range);
        if (!IPAddress.TryParse(options.Host, out _))
            return ValidateOptionsResult.Fail($"{PrometheusOptions.Section}:Host must be an IP address to listen on, e.g. {PrometheusOptions.Section}:Host=127.0.0.1");
        if (options.Port == HostingSetup.ConfiguredPort(configuration))
            return ValidateOptionsResult.Fail($"{PrometheusOptions.Section}:Port must differ from the API's port, so that /metrics is never served to API clients, e.g. {PrometheusOptions.Section}:Port=9464");
        return ValidateOptionsResult.Success;
    }
}
