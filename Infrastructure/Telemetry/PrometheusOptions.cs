using System.Net;

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
