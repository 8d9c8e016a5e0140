using System.Numerics;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using MySecureApi.Infrastructure.Telemetry;

namespace MySecureApi.Infrastructure.Auth.DPoP;

/// <summary>
/// Checks a DPoP proof (RFC 9449 §4.3) and the access token's binding to its key (§6, <c>cnf.jkt</c>), with
/// Microsoft.IdentityModel's JWK parsing, thumbprints and signature providers (NSec for Ed25519), and a replay cache.
/// </summary>
public sealed class DPoPProofValidator(IOptions<DPoPOptions> settings, TimeProvider time, IDPoPReplayCache replays, DPoPNonces nonces)
{
    private static readonly JsonWebTokenHandler Handler = new();
    private static readonly string[] PrivateMembers = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];
    private readonly DPoPOptions options = settings.Value;

    /// <summary>
    /// Throws <see cref="DPoPException"/> unless <paramref name="proof"/> is valid for this request and token. The cheap
    /// checks (header, claims, method, URI, time, <c>ath</c>, the key's thumbprint against <c>cnf.jkt</c>) run before
    /// the signature is verified; then the server nonce, when required; the replay cache is consulted last, only for a
    /// proof that is otherwise valid.
    /// </summary>
    public async Task ValidateAsync(HttpRequest request, string proof, JsonWebToken accessToken)
    {
        var (jwt, header, payload) = Parse(proof);
        if (!string.Equals(jwt.Typ, "dpop+jwt", StringComparison.OrdinalIgnoreCase))
            throw Proof(DPoPFailure.WrongType);
        if (!options.AcceptedAlgorithms.Contains(jwt.Alg, StringComparer.Ordinal))
            throw Proof(DPoPFailure.AlgorithmNotAllowed);
        var (jwk, thumbprint) = PublicKey(header, jwt.Alg);

        var htm = StringClaim(payload, "htm");
        var htu = StringClaim(payload, "htu");
        var jti = StringClaim(payload, "jti");
        var ath = StringClaim(payload, "ath");
        var iat = NumericClaim(payload, "iat");
        if (jti.Length > DPoPOptions.MaxJtiLength)
            throw Proof(DPoPFailure.JtiTooLong);
        if (!string.Equals(htm, request.Method, StringComparison.Ordinal))
            throw Proof(DPoPFailure.WrongMethod);
        if (!SameUri(htu, request))
            throw Proof(DPoPFailure.WrongUri);
        var issuedAt = IssuedAt(iat);
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(ath), Encoding.ASCII.GetBytes(AccessTokenHash(accessToken.EncodedToken))))
            throw Proof(DPoPFailure.WrongAth);

        var bound = BoundThumbprint(accessToken) ?? throw Token(DPoPFailure.TokenNotBound);
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(bound), Encoding.ASCII.GetBytes(thumbprint)))
            throw Token(DPoPFailure.WrongKey);

        if (!await VerifiesAsync(proof, jwt, jwk))
            throw Proof(DPoPFailure.BadSignature);
        if (nonces.Enabled)
            CheckNonce(payload);
        if (!await replays.TryAddAsync(DPoPReplayKey.From(thumbprint, jti), issuedAt + options.Window, request.HttpContext.RequestAborted))
        {
            ApiMetrics.DPoPReplayRefused();
            throw Proof(DPoPFailure.Replayed);
        }
    }

    /// <summary>RFC 9449 §8: a proof that is valid but for its nonce gets <c>use_dpop_nonce</c> (and, by the events, a fresh one).</summary>
    private void CheckNonce(JsonElement payload)
    {
        if (!payload.TryGetProperty("nonce", out var nonce) || nonce.ValueKind != JsonValueKind.String)
            throw new DPoPException(DPoPFailure.UseNonce, DPoPFailure.NonceMissing);
        if (!nonces.IsCurrent(nonce.GetString()!))
            throw new DPoPException(DPoPFailure.UseNonce, DPoPFailure.NonceStale);
    }

    /// <summary>The proof's <c>iat</c> within the window; compared as a number first, so no value can overflow a date.</summary>
    private DateTimeOffset IssuedAt(double iat)
    {
        var now = time.GetUtcNow();
        var nowSeconds = now.ToUnixTimeMilliseconds() / 1000.0;
        if (iat < nowSeconds - options.MaxAgeSeconds)
            throw Proof(DPoPFailure.TooOld);
        if (iat > nowSeconds + options.FutureSkewSeconds)
            throw Proof(DPoPFailure.IssuedInFuture);
        return DateTimeOffset.FromUnixTimeMilliseconds((long)(iat * 1000));
    }

    /// <summary>RFC 9449 §4.2 <c>ath</c>: base64url(SHA-256(ASCII(access token))).</summary>
    public static string AccessTokenHash(string accessToken) => Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken)));

    /// <summary>RFC 7638 thumbprint: Microsoft.IdentityModel's for RSA and EC, the same member rule for OKP.</summary>
    public static string Thumbprint(JsonWebKey jwk) => jwk.Kty == "OKP"
        ? Base64UrlEncoder.Encode(SHA256.HashData(Encoding.UTF8.GetBytes($$"""{"crv":"{{jwk.Crv}}","kty":"OKP","x":"{{jwk.X}}"}""")))
        : Base64UrlEncoder.Encode(jwk.ComputeJwkThumbprint());

    /// <summary>The token's <c>cnf.jkt</c>, or null when it is not DPoP-bound.</summary>
    public static string? BoundThumbprint(JsonWebToken token)
    {
        if (!token.TryGetClaim("cnf", out var cnf))
            return null;
        try
        {
            using var json = JsonDocument.Parse(cnf.Value);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("jkt", out var jkt)
                   && jkt.ValueKind == JsonValueKind.String ? jkt.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static (JsonWebToken Jwt, JsonElement Header, JsonElement Payload) Parse(string proof)
    {
        try
        {
            var jwt = new JsonWebToken(proof);
            var header = JsonSerializer.Deserialize<JsonElement>(Base64UrlEncoder.DecodeBytes(jwt.EncodedHeader));
            var payload = JsonSerializer.Deserialize<JsonElement>(Base64UrlEncoder.DecodeBytes(jwt.EncodedPayload));
            if (header.ValueKind != JsonValueKind.Object || payload.ValueKind != JsonValueKind.Object || jwt.EncodedSignature.Length == 0)
                throw Proof(DPoPFailure.Malformed);
            return (jwt, header, payload);
        }
        catch (Exception e) when (e is ArgumentException or JsonException or FormatException or SecurityTokenMalformedException)
        {
            throw Proof(DPoPFailure.Malformed);
        }
    }

    /// <summary>The header's public key, fitting the algorithm (RSA: 2048–4096 bits), and its RFC 7638 thumbprint.</summary>
    private static (JsonWebKey Key, string Thumbprint) PublicKey(JsonElement header, string alg)
    {
        if (!header.TryGetProperty("jwk", out var element) || element.ValueKind != JsonValueKind.Object
            || PrivateMembers.Any(m => element.TryGetProperty(m, out _)))
            throw Proof(DPoPFailure.BadKey);
        JsonWebKey jwk;
        try
        {
            jwk = new JsonWebKey(element.GetRawText());
        }
        catch (ArgumentException)
        {
            throw Proof(DPoPFailure.BadKey);
        }
        var fits = alg switch
        {
            "ES256" => jwk is { Kty: "EC", Crv: "P-256", X.Length: > 0, Y.Length: > 0 },
            "ES384" => jwk is { Kty: "EC", Crv: "P-384", X.Length: > 0, Y.Length: > 0 },
            "ES512" => jwk is { Kty: "EC", Crv: "P-521", X.Length: > 0, Y.Length: > 0 },
            "EdDSA" => jwk is { Kty: "OKP", Crv: "Ed25519", X.Length: > 0 },
            _ => jwk is { Kty: "RSA", N.Length: > 0, E.Length: > 0 },
        };
        if (!fits)
            throw Proof(DPoPFailure.BadKey);
        if (jwk.Kty == "RSA" && !RsaSizeAllowed(jwk))
            throw Proof(DPoPFailure.KeySize);
        try
        {
            return (jwk, Thumbprint(jwk));
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            throw Proof(DPoPFailure.BadKey);
        }
    }

    /// <summary>A modulus of 2048–4096 bits and a public exponent of at most 64 bits (verification cost grows with both).</summary>
    private static bool RsaSizeAllowed(JsonWebKey jwk)
    {
        try
        {
            var modulus = Base64UrlEncoder.DecodeBytes(jwk.N).AsSpan();
            var exponent = Base64UrlEncoder.DecodeBytes(jwk.E).AsSpan().TrimStart((byte)0);
            modulus = modulus.TrimStart((byte)0);
            var bits = modulus.IsEmpty ? 0 : (modulus.Length - 1) * 8 + (32 - BitOperations.LeadingZeroCount(modulus[0]));
            return bits is >= DPoPOptions.MinRsaKeyBits and <= DPoPOptions.MaxRsaKeyBits && exponent.Length is > 0 and <= 8;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static async Task<bool> VerifiesAsync(string proof, JsonWebToken jwt, JsonWebKey jwk)
    {
        if (jwt.Alg == "EdDSA")
            return VerifiesEd25519(jwt, jwk);
        var result = await Handler.ValidateTokenAsync(proof, new TokenValidationParameters
        {
            IssuerSigningKey = jwk,
            ValidAlgorithms = [jwt.Alg],
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = false,
            RequireExpirationTime = false,
            TryAllIssuerSigningKeys = true,
            TypeValidator = (type, _, _) => type,
        });
        return result.IsValid;
    }

    private static bool VerifiesEd25519(JsonWebToken jwt, JsonWebKey jwk)
    {
        try
        {
            var algorithm = NSec.Cryptography.SignatureAlgorithm.Ed25519;
            var key = NSec.Cryptography.PublicKey.Import(algorithm, Base64UrlEncoder.DecodeBytes(jwk.X), NSec.Cryptography.KeyBlobFormat.RawPublicKey);
            return algorithm.Verify(key, Encoding.ASCII.GetBytes($"{jwt.EncodedHeader}.{jwt.EncodedPayload}"), Base64UrlEncoder.DecodeBytes(jwt.EncodedSignature));
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            return false;
        }
    }

    private static string StringClaim(JsonElement payload, string name) =>
        payload.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : throw Proof(DPoPFailure.MissingClaim);

    private static double NumericClaim(JsonElement payload, string name) =>
        payload.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && double.IsFinite(number)
            ? number
            : throw Proof(DPoPFailure.MissingClaim);

    /// <summary>RFC 9449 §4.3 (9): scheme and host case-insensitive, default port implied, query and fragment ignored.</summary>
    private static bool SameUri(string htu, HttpRequest request)
    {
        if (!Uri.TryCreate(htu, UriKind.Absolute, out var proofUri) || proofUri.Scheme is not ("http" or "https"))
            return false;
        // HTTP/1.0 allows a request without Host: then no URI can match.
        if (!request.Host.HasValue
            || !Uri.TryCreate($"{request.Scheme}://{request.Host.ToUriComponent()}{request.PathBase.ToUriComponent()}{request.Path.ToUriComponent()}", UriKind.Absolute, out var requestUri))
            return false;
        return Uri.Compare(proofUri, requestUri, UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped, StringComparison.OrdinalIgnoreCase) == 0
               && string.Equals(proofUri.AbsolutePath, requestUri.AbsolutePath, StringComparison.Ordinal);
    }

    private static DPoPException Proof(string description) => new(DPoPFailure.InvalidProof, description);

    private static DPoPException Token(string description) => new("invalid_token", description);
}
