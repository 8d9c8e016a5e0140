using System.Collections.Immutable;

namespace MySecureApi.Infrastructure.Auth.Settings;

/// <summary>
/// What the bound <c>Auth0</c> settings resolve to, built once at start-up and never changed: the issuers a token may
/// come from, the audiences it may name, whether the built-in development issuer is in use, and the token rules. Every
/// part of Auth reads this, not the settings as bound.
/// </summary>
public sealed record Auth0Settings
{
    /// <summary>Every trusted tenant domain, normalised (<c>dev-abc123.us.auth0.com</c>), without duplicates.</summary>
    public ImmutableArray<string> Domains { get; init; } = [];

    /// <summary>Every issuer a token may come from: <c>https://{domain}/</c> for each domain, or the development issuer.</summary>
    public ImmutableArray<string> Issuers { get; init; } = [];

    /// <summary>Every accepted <c>aud</c> value; the first is the one development tokens and Swagger UI ask for.</summary>
    public ImmutableArray<string> Audiences { get; init; } = [];

    /// <summary>Development without a tenant: the app issues its own tokens (the development issuer).</summary>
    public bool UsesDevelopmentIssuer { get; init; }

    /// <summary>RFC 9728 <c>resource</c> when configured; otherwise derived per request (see <c>ResourceMetadata</c>).</summary>
    public string? Resource { get; init; }

    /// <summary>Allowed token signing algorithms (RS256 unless configured).</summary>
    public ImmutableArray<string> Algorithms { get; init; } = [];

    public TimeSpan ClockTolerance { get; init; }

    /// <summary>RFC 9068 profile: <c>typ</c> must be <c>at+jwt</c>; <c>iat</c>, <c>client_id</c>, <c>jti</c> required.</summary>
    public bool StrictAccessTokenProfile { get; init; }

    /// <summary>When set, <c>iat</c> is required and may not be older than this.</summary>
    public TimeSpan? MaxTokenAge { get; init; }

    /// <summary>RFC 6750 §2.3: <c>access_token</c> in the query string.</summary>
    public bool AllowQueryStringToken { get; init; }

    /// <summary>RFC 6750 §2.2: <c>access_token</c> in a form-encoded body.</summary>
    public bool AllowFormBodyToken { get; init; }

    /// <summary>The Auth0 application Swagger UI logs in with (authorization code + PKCE); none: paste a token.</summary>
    public string? SwaggerClientId { get; init; }

    /// <summary>The first issuer: where Swagger UI logs in, what development tokens name.</summary>
    public string Issuer => Issuers.IsDefaultOrEmpty ? "" : Issuers[0];

    /// <summary>The first audience: what development tokens name and Swagger UI requests.</summary>
    public string Audience => Audiences.IsDefaultOrEmpty ? "" : Audiences[0];
}
