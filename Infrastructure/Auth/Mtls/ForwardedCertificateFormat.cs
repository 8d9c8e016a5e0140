namespace MySecureApi.Infrastructure.Auth.Mtls;

/// <summary>How a trusted proxy writes the client certificate into its header.</summary>
public enum ForwardedCertificateFormat
{
    /// <summary>RFC 9440 <c>Client-Cert</c>: the DER as a structured-field byte sequence, <c>:base64:</c>.</summary>
    Rfc9440,

    /// <summary>nginx's <c>$ssl_client_escaped_cert</c>: the PEM, URL-encoded.</summary>
    EscapedPem,
}
