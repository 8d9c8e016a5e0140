namespace MySecureApi.Infrastructure.Auth.DPoP;

/// <summary>DPoP proof rules (<c>Auth0:DPoP:*</c>, mode also from <c>AUTH0_DPOP_MODE</c>).</summary>
public sealed class DPoPOptions
{
    public const string Section = "Auth0:DPoP";

    public DPoPMode Mode { get; set; } = DPoPMode.Allowed;

    public static readonly string[] DefaultAlgorithms = ["ES256", "ES384", "RS256", "PS256", "EdDSA"];

    /// <summary>Asymmetric algorithms a proof may use, as configured (none: <see cref="DefaultAlgorithms"/>).</summary>
    public string[] Algorithms { get; set; } = [];

    /// <summary>The algorithms a proof may use: those configured, or <see cref="DefaultAlgorithms"/>.</summary>
    public IReadOnlyList<string> AcceptedAlgorithms => Algorithms.Length > 0 ? Algorithms : DefaultAlgorithms;

    /// <summary>How old a proof's <c>iat</c> may be.</summary>
    public int MaxAgeSeconds { get; set; } = 300;

    /// <summary>How far ahead a proof's <c>iat</c> may be.</summary>
    public int FutureSkewSeconds { get; set; } = 30;

    /// <summary>Most proofs remembered at once by the in-memory replay cache (~50 bytes each).</summary>
    public int ReplayCacheSize { get; set; } = 100_000;

    /// <summary>
    /// Most proofs one client key may have in the replay window (in memory: remembered at once; in Redis: per window),
    /// so that no single client can fill the cache for everyone. Above it: 429.
    /// </summary>
    public int ReplayCachePerKeyLimit { get; set; } = 2_000;

    /// <summary>RFC 9449 §8: proofs must carry a nonce this API issued (<c>DPoP-Nonce</c>), which bounds how far ahead a proof can be made.</summary>
    public bool Nonce { get; set; }

    /// <summary>
    /// The key nonces are derived from, shared by every instance (at least <see cref="MinNonceSecretLength"/> characters);
    /// with the development issuer it may be left unset (a random key per process).
    /// </summary>
    public string? NonceSecret { get; set; }

    /// <summary>A nonce is issued for a window of this many seconds and accepted in that window and the next.</summary>
    public int NonceWindowSeconds { get; set; } = 300;

    public const int MinNonceSecretLength = 32;

    /// <summary>Longest <c>jti</c> a proof may carry (RFC 9449 asks only for enough randomness; 256 is generous).</summary>
    public const int MaxJtiLength = 256;

    /// <summary>RSA proof keys must have a modulus of this many bits or more…</summary>
    public const int MinRsaKeyBits = 2048;

    /// <summary>…and at most this many (verification cost grows with the key).</summary>
    public const int MaxRsaKeyBits = 4096;

    /// <summary>How long a proof stays acceptable, so how long the replay cache must remember it.</summary>
    public TimeSpan Window => TimeSpan.FromSeconds(MaxAgeSeconds + FutureSkewSeconds);

    public bool AcceptsBearer => Mode != DPoPMode.Required;

    public bool AcceptsDPoP => Mode != DPoPMode.Disabled;
}
