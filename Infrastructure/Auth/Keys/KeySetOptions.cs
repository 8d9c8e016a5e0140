namespace MySecureApi.Infrastructure.Auth.Keys;

/// <summary>Fetching and keeping the issuer's signing keys through outages and rotations (<c>Auth0:KeySet:*</c>).</summary>
public sealed class KeySetOptions
{
    public const string Section = "Auth0:KeySet";

    /// <summary>Per attempt (discovery + JWKS).</summary>
    public int BackchannelTimeoutSeconds { get; set; } = 10;

    /// <summary>Scheduled refresh of a healthy key set; also how soon a key removed from the JWKS stops working.</summary>
    public int RefreshIntervalMinutes { get; set; } = 15;

    /// <summary>At most one refresh per this interval for tokens with an unknown <c>kid</c>.</summary>
    public int UnknownKeyCooldownSeconds { get; set; } = 30;

    public int MinRetrySeconds { get; set; } = 5;

    public int MaxRetrySeconds { get; set; } = 300;
}
