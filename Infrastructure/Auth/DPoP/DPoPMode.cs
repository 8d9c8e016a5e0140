namespace MySecureApi.Infrastructure.Auth.DPoP;

/// <summary>Which authorization schemes the API accepts (RFC 9449).</summary>
public enum DPoPMode
{
    /// <summary><c>Bearer</c> and <c>DPoP</c>.</summary>
    Allowed,

    /// <summary><c>DPoP</c> only.</summary>
    Required,

    /// <summary><c>Bearer</c> only; DPoP headers are ignored.</summary>
    Disabled,
}
