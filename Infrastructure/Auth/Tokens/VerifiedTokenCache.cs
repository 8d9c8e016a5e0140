using System.Buffers;
using System.Runtime.InteropServices;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using MySecureApi.Infrastructure.Auth.Keys;

namespace MySecureApi.Infrastructure.Auth.Tokens;

/// <summary>
/// JwtBearer's token handler. On a miss: what kind of token it is, its issuer (by its <c>iss</c>, among the trusted
/// ones, before anything is fetched), then full validation with that issuer's keys (Microsoft.IdentityModel plus
/// <see cref="TokenRules"/>). On a hit — the SHA-256 of the exact token text, same key set of the same issuer — only
/// the checks time can change (<c>exp</c> with the clock tolerance, <c>maxTokenAge</c>). Failures are never cached; a
/// key-set change invalidates every entry of that issuer. An entry keeps only what a hit needs (the claims, <c>exp</c>,
/// <c>iat</c>, whether the token is DPoP-bound) — the claims as a read-only principal that hits share — not the parsed token.
/// </summary>
internal sealed class VerifiedTokenCache : TokenHandler, IDisposable
{
    private const int StackHashLimit = 4096;
    private readonly JsonWebTokenHandler inner = new() { MapInboundClaims = false };
    private readonly MemoryCache cache;
    private readonly TokenCacheOptions settings;
    private readonly Auth0Options auth0;
    private readonly TokenRules rules;
    private readonly TrustedIssuers issuers;
    private readonly ILogger<VerifiedTokenCache> logger;

    public VerifiedTokenCache(IOptions<Auth0Options> auth0, TokenRules rules, TrustedIssuers issuers, ILogger<VerifiedTokenCache> logger)
    {
        this.auth0 = auth0.Value;
        settings = this.auth0.TokenCache;
        this.rules = rules;
        this.issuers = issuers;
        this.logger = logger;
        cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = Math.Max(1, settings.MaxEntries) });
    }

    private sealed record Entry(ReadOnlyPrincipal Principal, SigningKeySource Source, DateTime ValidTo, DateTime IssuedAt, bool DPoPBound, long Generation);

    /// <summary>The SHA-256 of the token's UTF-8 text, as two 128-bit halves (a cheap, exact dictionary key).</summary>
    private readonly record struct TokenHash(UInt128 First, UInt128 Second);

    /// <summary>
    /// The fast path for a Bearer token that is cached and still valid: its shared, read-only principal, without
    /// JwtBearer's per-request set-up. Null for anything else (a miss, a lapsed entry, a DPoP-bound token, the cache
    /// off) — JwtBearer's path then decides, and names the failure. Like that path, it keeps the key set refreshed.
    /// </summary>
    public ClaimsPrincipal? ValidBearerPrincipal(ReadOnlySpan<char> token)
    {
        if (!settings.Enabled || Lookup(Hash(token)) is not { DPoPBound: false } hit)
            return null;
        if (!Hosting.Ablation.Removes(Hosting.Piece.CacheBookkeeping))
            hit.Source.RefreshIfDue();
        if (Lapsed(hit) is not null)
            return null;
        if (!Hosting.Ablation.Removes(Hosting.Piece.CacheBookkeeping))
            AuthMetrics.TokenCache(hit: true);
        return hit.Principal;
    }

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        TokenHash? key = settings.Enabled ? Hash(token) : null;
        if (key is { } cached && Lookup(cached) is { } hit)
        {
            AuthMetrics.TokenCache(hit: true);
            return Lapsed(hit) is { } lapsed
                ? new TokenValidationResult { IsValid = false, Exception = lapsed }
                : new TokenValidationResult { IsValid = true, SecurityToken = new JsonWebToken(token), ClaimsIdentity = hit.Principal.Identities.First().Clone(), Issuer = hit.Source.Issuer };
        }

        var selected = await SelectIssuerAsync(token);
        if (selected is not { Token: { } jwt, Source: { } source, Keys: { } signingKeys })
            return Invalid(selected.Failure!);
        validationParameters.IssuerSigningKeys = signingKeys;
        var result = await inner.ValidateTokenAsync(jwt, validationParameters);
        if (!result.IsValid)
        {
            if (result.Exception is SecurityTokenSignatureKeyNotFoundException)
                source.RequestRefresh();
            return result;
        }
        PayloadFacts facts;
        try
        {
            facts = rules.ValidatePayload(jwt);
        }
        catch (TokenRuleException failure)
        {
            return Invalid(failure);
        }
        var identity = result.ClaimsIdentity;
        ClaimValues.MarkArrayElements(identity, facts.ArrayClaims);
        ScopePermissions.Add(identity);
        if (key is not { } fresh)
            return result;
        AuthMetrics.TokenCache(hit: false);
        // Under the generation of the keys this token was validated with: a refresh may have replaced them meanwhile.
        if (source.GenerationOf(signingKeys) is { } generation)
        {
            var until = Min(jwt.ValidTo + auth0.ClockTolerance, DateTime.UtcNow.AddSeconds(settings.MaxLifetimeSeconds));
            var entry = new Entry(new ReadOnlyPrincipal(identity), source, jwt.ValidTo, jwt.IssuedAt, facts.DPoPBound, generation);
            cache.Set(fresh, entry, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpiration = new DateTimeOffset(until, TimeSpan.Zero) });
        }
        return result;
    }

    private readonly record struct Selection(JsonWebToken? Token, SigningKeySource? Source, ICollection<SecurityKey>? Keys, Exception? Failure = null);

    /// <summary>
    /// The parsed token, its issuer and that issuer's current keys; or why the token cannot be validated: not a JWS,
    /// an ID token, an issuer that is not trusted (nothing fetched), or an issuer without keys yet (503).
    /// </summary>
    private async Task<Selection> SelectIssuerAsync(string token)
    {
        if (token.Length > inner.MaximumTokenSizeInBytes)
            return new Selection(null, null, null, new TokenRuleException(TokenFailure.Malformed));
        if (TokenKind.NotAJws(token) is { } kind)
            return Mistaken(kind);
        JsonWebToken jwt;
        try
        {
            jwt = new JsonWebToken(token);
            if (TokenKind.IsIdToken(jwt))
                return Mistaken(TokenFailure.IdToken);
            if ((Hosting.Ablation.Removes(Hosting.Piece.IssuerSelection) ? issuers.All[0] : issuers.Find(jwt.Issuer)) is not { } source)
                return new Selection(null, null, null, new SecurityTokenInvalidIssuerException(TokenFailure.InvalidIssuer));
            return await source.GetConfigurationAsync(CancellationToken.None) is { } configuration
                ? new Selection(jwt, source, configuration.SigningKeys)
                : new Selection(null, null, null, new SigningKeysUnavailableException(source.RetryAfter));
        }
        catch (Exception e) when (e is ArgumentException or FormatException or System.Text.Json.JsonException)
        {
            return new Selection(null, null, null, new SecurityTokenMalformedException(TokenFailure.Malformed));
        }
    }

    private Selection Mistaken(string description)
    {
        logger.LogInformation("Refused a token: {Kind}; the client should " + TokenKind.OperatorHint, description, auth0.Audience);
        return new Selection(null, null, null, new TokenRuleException(description));
    }

    private static TokenValidationResult Invalid(Exception failure) => new() { IsValid = false, Exception = failure };

    /// <summary>An entry made under its issuer's current signing-key set, or null.</summary>
    private Entry? Lookup(TokenHash key) =>
        cache.TryGetValue(key, out Entry? hit) && hit!.Generation == hit.Source.Generation ? hit : null;

    /// <summary>
    /// The time-dependent checks of a cached token; null when it is still valid. Token lifetimes are judged by the
    /// system clock, as Microsoft.IdentityModel judges them on a miss.
    /// </summary>
    private SecurityTokenException? Lapsed(Entry entry)
    {
        if (entry.ValidTo + auth0.ClockTolerance < DateTime.UtcNow)
            return new SecurityTokenExpiredException(TokenFailure.Expired) { Expires = entry.ValidTo };
        return rules.IsTooOld(entry.IssuedAt) ? new TokenRuleException(TokenFailure.TooOld) : null;
    }

    private static TokenHash Hash(ReadOnlySpan<char> token)
    {
        var length = Encoding.UTF8.GetByteCount(token);
        var rented = length > StackHashLimit ? ArrayPool<byte>.Shared.Rent(length) : null;
        var utf8 = rented is null ? stackalloc byte[StackHashLimit] : rented;
        Encoding.UTF8.GetBytes(token, utf8);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8[..length], hash);
        if (rented is not null)
            ArrayPool<byte>.Shared.Return(rented);
        return new TokenHash(MemoryMarshal.Read<UInt128>(hash), MemoryMarshal.Read<UInt128>(hash[16..]));
    }

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;

    public void Dispose() => cache.Dispose();
}
