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

/// <summary>DPoP proof rules (<c>Auth0:DPoP:*</c>, mode also from <c>AUTH0_DPOP_MODE</c>).</summary>
public sealed class DPoPOptions
{
    public const string ModeVariable = "AUTH0_DPOP_MODE";

    public DPoPMode Mode { get; set; } = DPoPMode.Allowed;

    public static readonly string[] DefaultAlgorithms = ["ES256", "ES384", "RS256", "PS256", "EdDSA"];

    /// <summary>Asymmetric algorithms a proof may use (default <see cref="DefaultAlgorithms"/>).</summary>
    public string[] Algorithms { get; set; } = [];

    /// <summary>How old a proof's <c>iat</c> may be.</summary>
    public int MaxAgeSeconds { get; set; } = 300;

    /// <summary>How far ahead a proof's <c>iat</c> may be.</summary>
    public int FutureSkewSeconds { get; set; } = 30;

    /// <summary>Most proofs remembered at once by the in-memory replay cache.</summary>
    public int ReplayCacheSize { get; set; } = 100_000;

    public bool AcceptsBearer => Mode != DPoPMode.Required;

    public bool AcceptsDPoP => Mode != DPoPMode.Disabled;
}
