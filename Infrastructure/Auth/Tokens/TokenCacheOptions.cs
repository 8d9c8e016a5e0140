namespace MySecureApi.Infrastructure.Auth.Tokens;

/// <summary>Remembering tokens that passed full validation (<c>Auth0:TokenCache:*</c>).</summary>
public sealed class TokenCacheOptions
{
    public const string Section = "Auth0:TokenCache";

    public bool Enabled { get; set; } = true;

    public int MaxEntries { get; set; } = 10_000;

    /// <summary>An entry never lives longer than this, whatever the token's <c>exp</c>.</summary>
    public int MaxLifetimeSeconds { get; set; } = 600;
}
