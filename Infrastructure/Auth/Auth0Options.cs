using MySecureApi.Infrastructure.Auth.Keys;
using MySecureApi.Infrastructure.Auth.Tokens;

namespace MySecureApi.Infrastructure.Auth;

/// <summary>The Auth0 tenant and the token rules this API enforces (contract: "Token validation").</summary>
public sealed class Auth0Options
{
    public const string Section = "Auth0";

    /// <summary>
    /// Tenant domain, e.g. <c>dev-abc123.us.auth0.com</c>, or several, comma-separated (the canonical domain and custom
    /// domains); after set-up, the first of <see cref="Domains"/>.
    /// </summary>
    public string Domain { get; set; } = "";

    /// <summary>More domains (<c>Auth0:Domains:0</c>…); after set-up, every domain, normalised, without duplicates.</summary>
    public string[] Domains { get; set; } = [];

    /// <summary>The API identifier that must appear in <c>aud</c>, or several, comma-separated; after set-up, the first.</summary>
    public string Audience { get; set; } = "";

    /// <summary>More audiences (<c>Auth0:Audiences:0</c>…); after set-up, every accepted audience.</summary>
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

    /// <summary>
    /// Development without a tenant: the app issues its own tokens (see <c>Infrastructure/DevIssuer</c>). Decided by
    /// <see cref="Auth0OptionsSetup"/>, never by configuration.
    /// </summary>
    public bool UsesDevelopmentIssuer { get; internal set; }

    public string DevelopmentIssuer { get; internal set; } = "";

    /// <summary>Proof-of-possession (RFC 9449): mode, proof algorithms, <c>iat</c> window, replay cache.</summary>
    public DPoP.DPoPOptions DPoP { get; set; } = new();

    /// <summary>The verified-token cache (<c>Auth0:TokenCache:*</c>).</summary>
    public TokenCacheOptions TokenCache { get; set; } = new();

    /// <summary>How the signing-key set is fetched and kept (<c>Auth0:KeySet:*</c>).</summary>
    public KeySetOptions KeySet { get; set; } = new();

    /// <summary>Every issuer a token may come from, <c>https://{domain}/</c> for each domain (set up from <see cref="Domains"/>).</summary>
    public string[] Issuers { get; internal set; } = [];

    /// <summary>The first issuer: where Swagger UI logs in, what development tokens name.</summary>
    public string Issuer => Issuers.Length > 0 ? Issuers[0] : "";

    public TimeSpan ClockTolerance => TimeSpan.FromSeconds(ClockToleranceSeconds);
}
