namespace MySecureApi.Infrastructure.Auth.Mtls;

/// <summary>Whether certificate-bound access tokens (RFC 8705 §3, <c>cnf["x5t#S256"]</c>) are accepted.</summary>
public enum MtlsMode
{
    /// <summary>A certificate-bound token is refused: its binding cannot be checked.</summary>
    Disabled,

    /// <summary>A certificate-bound token is accepted with its certificate; unbound tokens still work.</summary>
    Allowed,

    /// <summary>Only certificate-bound tokens, each with its certificate.</summary>
    Required,
}
