using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MySecureApi.Infrastructure.Auth;

/// <summary>Remembering tokens that passed full validation (<c>Auth0:TokenCache:*</c>).</summary>
public sealed class TokenCacheOptions
{
    public bool Enabled { get; set; } = true;

    public int MaxEntries { get; set; } = 10_000;

    /// <summary>An entry never lives longer than this, whatever the token's <c>exp</c>.</summary>
    public int MaxLifetimeSeconds { get; set; } = 600;
}

/// <summary>
/// JwtBearer's token handler: full validation (Microsoft.IdentityModel plus <see cref="TokenRules"/>) on a miss; on a hit —
/// the SHA-256 of the exact token text, same signing-key set — only the checks time can change (<c>exp</c> with the
/// clock tolerance, <c>maxTokenAge</c>). Failures are never cached; a key-set change invalidates every entry.
/// </summary>
internal sealed class VerifiedTokenCache : TokenHandler, IDisposable
{
    private readonly JsonWebTokenHandler inner = new() { MapInboundClaims = false };
    private readonly MemoryCache cache;
    private readonly TokenCacheOptions settings;
    private readonly Auth0Options auth0;
    private readonly TokenRules rules;
    private readonly SigningKeySource keys;

    public VerifiedTokenCache(IOptions<Auth0Options> auth0, TokenRules rules, SigningKeySource keys)
    {
        this.auth0 = auth0.Value;
        settings = this.auth0.TokenCache;
        this.rules = rules;
        this.keys = keys;
        cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = Math.Max(1, settings.MaxEntries) });
    }

    private sealed record Entry(JsonWebToken Token, ClaimsIdentity Identity, long Generation);

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var key = settings.Enabled ? CacheKey(token) : null;
        if (key is not null && cache.TryGetValue(key, out Entry? hit) && hit!.Generation == keys.Generation)
        {
            var stale = StillValid(hit.Token);
            AuthMetrics.TokenCache(hit: true);
            return stale is null
                ? new TokenValidationResult { IsValid = true, SecurityToken = hit.Token, ClaimsIdentity = hit.Identity.Clone(), Issuer = hit.Token.Issuer }
                : new TokenValidationResult { IsValid = false, Exception = stale };
        }

        var generation = keys.Generation;
        var result = await inner.ValidateTokenAsync(token, validationParameters);
        if (!result.IsValid)
            return result;
        var jwt = (JsonWebToken)result.SecurityToken;
        try
        {
            rules.ValidatePayload(jwt);
        }
        catch (TokenRuleException failure)
        {
            return new TokenValidationResult { IsValid = false, Exception = failure };
        }
        if (key is not null)
        {
            AuthMetrics.TokenCache(hit: false);
            var until = Min(jwt.ValidTo + auth0.ClockTolerance, DateTime.UtcNow.AddSeconds(settings.MaxLifetimeSeconds));
            cache.Set(key, new Entry(jwt, result.ClaimsIdentity.Clone(), generation),
                new MemoryCacheEntryOptions { Size = 1, AbsoluteExpiration = new DateTimeOffset(until, TimeSpan.Zero) });
        }
        return result;
    }

    /// <summary>
    /// The time-dependent checks of a cached token; null when it is still valid. Token lifetimes are judged by the
    /// system clock, as Microsoft.IdentityModel judges them on a miss.
    /// </summary>
    private SecurityTokenException? StillValid(JsonWebToken token)
    {
        if (token.ValidTo + auth0.ClockTolerance < DateTime.UtcNow)
            return new SecurityTokenExpiredException(TokenFailure.Expired) { Expires = token.ValidTo };
        try
        {
            rules.CheckAge(token);
            return null;
        }
        catch (TokenRuleException tooOld)
        {
            return tooOld;
        }
    }

    private static string CacheKey(string token)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(token), hash);
        return Convert.ToBase64String(hash);
    }

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;

    public void Dispose() => cache.Dispose();
}
