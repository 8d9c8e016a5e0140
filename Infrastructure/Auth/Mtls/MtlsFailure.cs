namespace MySecureApi.Infrastructure.Auth.Mtls;

/// <summary>The fixed <c>error_description</c> of each certificate-binding failure (RFC 8705 §3: <c>invalid_token</c>).</summary>
public static class MtlsFailure
{
    public const string NoCertificate = "The token is bound to a client certificate and none was presented";
    public const string WrongCertificate = "The token is bound to another client certificate";
    public const string MalformedThumbprint = "The certificate thumbprint in the token is malformed";
    public const string TokenNotBound = "The token is not bound to a client certificate";
    public const string MalformedForwardedCertificate = "The forwarded client certificate is malformed";
    public const string ForwardedCertificateTooLarge = "The forwarded client certificate is too large";
}
