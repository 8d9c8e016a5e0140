using System.Net;

namespace MySecureApi.Infrastructure.Hosting;

/// <summary>Proxies whose <c>X-Forwarded-*</c> headers are believed (<c>ForwardedHeaders:*</c>); none by default.</summary>
public sealed class TrustedProxiesOptions
{
    public const string Section = "ForwardedHeaders";

    public bool Enabled { get; set; }

    /// <summary>Proxy addresses, e.g. <c>10.0.0.5</c>.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Proxy networks in CIDR form, e.g. <c>10.0.0.0/8</c>.</summary>
    public string[] KnownNetworks { get; set; } = [];

    /// <summary>
    /// Whether a peer address is one of the proxies (an IPv4 peer seen through a dual-mode socket as <c>::ffff:a.b.c.d</c>
    /// counts as <c>a.b.c.d</c>, as ASP.NET's forwarded-headers middleware counts it). Parsed once, when asked.
    /// </summary>
    public Func<IPAddress?, bool> Matcher()
    {
        var proxies = KnownProxies.Select(IPAddress.Parse).ToArray();
        var networks = KnownNetworks.Select(n => System.Net.IPNetwork.Parse(n)).ToArray();
        return peer =>
        {
            if (peer is null)
                return false;
            if (peer.IsIPv4MappedToIPv6)
                peer = peer.MapToIPv4();
            return Array.IndexOf(proxies, peer) >= 0 || networks.Any(n => n.Contains(peer));
        };
    }
}
