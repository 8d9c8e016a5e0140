namespace MySecureApi.Infrastructure.Auth.Mtls;

/// <summary>Certificate-bound tokens (<c>Auth0:Mtls:*</c>, mode also from <c>AUTH0_MTLS_MODE</c>).</summary>
public sealed class MtlsOptions
{
    public const string Section = "Auth0:Mtls";

    public MtlsMode Mode { get; set; } = MtlsMode.Disabled;

    /// <summary>The header a trusted proxy (<c>ForwardedHeaders:KnownProxies/KnownNetworks</c>) puts the client certificate in.</summary>
    public string CertificateHeader { get; set; } = "Client-Cert";

    /// <summary>How the proxy writes it: RFC 9440's byte sequence, or nginx's URL-encoded PEM.</summary>
    public ForwardedCertificateFormat CertificateHeaderFormat { get; set; } = ForwardedCertificateFormat.Rfc9440;

    /// <summary>
    /// Longest certificate header believed, in characters: a certificate of a few kilobytes, not a megabyte. 16 KiB
    /// holds a DER of 8 KiB in either format (base64 grows it by a third, URL-encoded PEM by about half again).
    /// </summary>
    public const int MaxHeaderLength = 16 * 1024;

    public bool AcceptsBound => Mode != MtlsMode.Disabled;

    public bool RequiresBound => Mode == MtlsMode.Required;
}
