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
}
