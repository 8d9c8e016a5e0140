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
using MySecureApi.Infrastructure.Auth.Mtls;
using MySecureApi.Infrastructure.Auth.Settings;
using MySecureApi.Infrastructure.Telemetry;

namespace MySecureApi.Infrastructure.Auth.Tokens;

/// <summary>
/// The verified-token cache: tokens that passed full validation, keyed by the SHA-256 of their exact text, each under
/// the key-set generation of the issuer that signed it (a key-set change invalidates every entry of that issuer). A
/// hit is checked again for what time can change (<c>exp</c> with the clock tolerance, <c>maxTokenAge</c>). An entry
/// keeps only what a hit needs — the claims as a read-only principal that hits share, <c>exp</c>, <c>iat</c>, whether
/// the token is DPoP-bound, the certificate it is bound to — not the parsed token. At most <see cref="TokenCacheOptions.MaxEntries"/> entries.
/// </summary>
internal sealed class VerifiedTokens : IDisposable
{
    private const int StackHashLimit = 4096;
    private readonly MemoryCache cache;
    private readonly TokenCacheOptions settings;
    private readonly Auth0Settings auth0;
    private readonly TokenRules rules;
    private readonly MtlsOptions mtls;

    public VerifiedTokens(IOptions<TokenCacheOptions> settings, Auth0Settings auth0, TokenRules rules, IOptions<MtlsOptions> mtls)
    {
        this.mtls = mtls.Value;
        this.settings = settings.Value;
        this.auth0 = auth0;
        this.rules = rules;
        cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = Math.Max(1, this.settings.MaxEntries) });
    }

    public bool Enabled => settings.Enabled;

    /// <summary>A verified token: what a hit needs, and its bindings (a certificate's <c>x5t#S256</c>: 43 characters).</summary>
    public sealed record Entry(ReadOnlyPrincipal Principal, SigningKeySource Source, DateTime ValidTo, DateTime IssuedAt, bool DPoPBound,
        string? CertificateThumbprint, long Generation);

    /// <summary>The SHA-256 of the token's UTF-8 text, as two 128-bit halves (a cheap, exact dictionary key).</summary>
    public readonly record struct Key(UInt128 First, UInt128 Second);

    /// <summary>
    /// The fast path for a Bearer token that is cached and still valid — and, when it is certificate-bound, sent with
    /// its certificate: its shared, read-only principal, without JwtBearer's per-request set-up. Null for anything else
    /// (a miss, a lapsed entry, the cache off, a DPoP-bound token, another certificate or none) — JwtBearer's path then
    /// decides, and names the failure. Like that path, it keeps the key set refreshed.
    /// </summary>
    public ReadOnlyPrincipal? ValidBearerPrincipal(ReadOnlySpan<char> token, HttpContext context)
    {
        if (!settings.Enabled || Find(KeyOf(token)) is not { DPoPBound: false } hit)
            return null;
        if (hit.CertificateThumbprint is { } bound && CertificateBinding.Check(context, bound, mtls) is not null)
            return null;
        if (!Hosting.Ablation.Removes(Hosting.Piece.CacheBookkeeping))
            hit.Source.RefreshIfDue();
        if (Lapsed(hit) is not null)
            return null;
        if (!Hosting.Ablation.Removes(Hosting.Piece.CacheBookkeeping))
            ApiMetrics.TokenCache(hit: true);
        return hit.Principal;
    }

    /// <summary>An entry made under its issuer's current signing-key set, or null.</summary>
    public Entry? Find(Key key) =>
        cache.TryGetValue(key, out Entry? hit) && hit!.Generation == hit.Source.Generation ? hit : null;

    /// <summary>
    /// The time-dependent checks of a cached token; null when it is still valid. Token lifetimes are judged by the
    /// system clock, as Microsoft.IdentityModel judges them on a miss.
    /// </summary>
    public SecurityTokenException? Lapsed(Entry entry)
    {
        if (entry.ValidTo + auth0.ClockTolerance < DateTime.UtcNow)
            return new SecurityTokenExpiredException(TokenFailure.Expired) { Expires = entry.ValidTo };
        return rules.IsTooOld(entry.IssuedAt) ? new TokenRuleException(TokenFailure.TooOld) : null;
    }

    /// <summary>
    /// Remembers a token that passed full validation with <paramref name="signingKeys"/> — only if those are still its
    /// issuer's current keys (a refresh may have replaced them meanwhile).
    /// </summary>
    public void Add(Key key, ClaimsIdentity identity, SigningKeySource source, ICollection<SecurityKey> signingKeys, JsonWebToken jwt, PayloadFacts facts)
    {
        if (source.GenerationOf(signingKeys) is not { } generation)
            return;
        var until = Min(jwt.ValidTo + auth0.ClockTolerance, DateTime.UtcNow.AddSeconds(settings.MaxLifetimeSeconds));
        var entry = new Entry(new ReadOnlyPrincipal(identity), source, jwt.ValidTo, jwt.IssuedAt, facts.DPoPBound, facts.CertificateThumbprint, generation);
        cache.Set(key, entry, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpiration = new DateTimeOffset(until, TimeSpan.Zero) });
    }

    public static Key KeyOf(ReadOnlySpan<char> token)
    {
        var length = Encoding.UTF8.GetByteCount(token);
        var rented = length > StackHashLimit ? ArrayPool<byte>.Shared.Rent(length) : null;
        var utf8 = rented is null ? stackalloc byte[StackHashLimit] : rented;
        Encoding.UTF8.GetBytes(token, utf8);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8[..length], hash);
        if (rented is not null)
            ArrayPool<byte>.Shared.Return(rented);
        return new Key(MemoryMarshal.Read<UInt128>(hash), MemoryMarshal.Read<UInt128>(hash[16..]));
    }

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;

    public void Dispose() => cache.Dispose();
}
