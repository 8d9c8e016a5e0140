namespace MySecureApi.Infrastructure.Auth;

/// <summary>
/// The <c>Auth0</c> settings exactly as bound from configuration (and the seed's variables). They are never rewritten:
/// <see cref="Auth0SettingsResolver"/> turns them into the immutable <c>Auth0Settings</c> that the rest of Auth reads.
/// The DPoP, token-cache and key-set settings (<c>Auth0:DPoP</c>, <c>Auth0:TokenCache</c>, <c>Auth0:KeySet</c>) are
/// bound by their own rooms.
/// </summary>
public sealed class Auth0Options
{
    public const string Section = "Auth0";

    /// <summary>
    /// Tenant domain, e.g. <c>dev-abc123.us.auth0.com</c>, or several, comma-separated (the canonical domain and custom
    /// domains).
    /// </summary>
    public string Domain { get; set; } = "";

    /// <summary>More domains (<c>Auth0:Domains:0</c>…).</summary>
    public string[] Domains { get; set; } = [];

    /// <summary>The API identifier that must appear in <c>aud</c>, or several, comma-separated.</summary>
    public string Audience { get; set; } = "";

    /// <summary>More audiences (<c>Auth0:Audiences:0</c>…).</summary>
    public string[] Audiences { get; set; } = [];

    /// <summary>RFC 9728 <c>resource</c>; unset: the first audience when it is an <c>https</c> URL, else the API's own URL.</summary>
    public string? Resource { get; set; }

    /// <summary>Allowed token algorithms; RS256 when none are configured.</summary>
    public string[] Algorithms { get; set; } = [];

    public int ClockToleranceSeconds { get; set; } = 30;

    /// <summary>RFC 9068 profile: <c>typ</c> must be <c>at+jwt</c>; <c>iat</c>, <c>client_id</c>, <c>jti</c> required.</summary>
    public bool StrictAccessTokenProfile { get; set; }

    /// <summary>When set, <c>iat</c> is required and may not be older than this many seconds.</summary>
    public int? MaxTokenAgeSeconds { get; set; }

    /// <summary>RFC 6750 §2.3: <c>access_token</c> in the query string.</summary>
    public bool AllowQueryStringToken { get; set; }

    /// <summary>RFC 6750 §2.2: <c>access_token</c> in a form-encoded body.</summary>
    public bool AllowFormBodyToken { get; set; }

    /// <summary>The Auth0 application Swagger UI logs in with (authorization code + PKCE); none: paste a token.</summary>
    public string? SwaggerClientId { get; set; }
}
