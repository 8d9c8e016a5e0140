using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MySecureApi.Infrastructure.Auth.DPoP;

/// <summary>
/// Checks a DPoP proof (RFC 9449 §4.3) and the access token's binding to its key (§6, <c>cnf.jkt</c>), with
/// Microsoft.IdentityModel's JWK parsing, thumbprints and signature providers (NSec for Ed25519), and a replay cache.
/// </summary>
public sealed class DPoPProofValidator(IOptions<Auth0Options> auth0, TimeProvider time, IDPoPReplayCache replays)
{
    private static readonly JsonWebTokenHandler Handler = new();
    private static readonly string[] PrivateMembers = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];
    private readonly DPoPOptions options = auth0.Value.DPoP;

    /// <summary>Throws <see cref="DPoPException"/> unless <paramref name="proof"/> is valid for this request and token.</summary>
    public async Task ValidateAsync(HttpRequest request, string proof, JsonWebToken accessToken)
    {
        var (jwt, header, payload) = Parse(proof);
        if (!string.Equals(jwt.Typ, "dpop+jwt", StringComparison.OrdinalIgnoreCase))
            throw Proof(DPoPFailure.WrongType);
        if (!options.Algorithms.Contains(jwt.Alg, StringComparer.Ordinal))
            throw Proof(DPoPFailure.AlgorithmNotAllowed);
        var jwk = PublicKey(header, jwt.Alg);
        if (!await VerifiesAsync(proof, jwt, jwk))
            throw Proof(DPoPFailure.BadSignature);

        var htm = StringClaim(payload, "htm");
        var htu = StringClaim(payload, "htu");
        var jti = StringClaim(payload, "jti");
        var ath = StringClaim(payload, "ath");
        if (!payload.TryGetProperty("iat", out var iatElement) || !iatElement.TryGetDouble(out var iatSeconds))
            throw Proof(DPoPFailure.MissingClaim);
        if (!string.Equals(htm, request.Method, StringComparison.Ordinal))
            throw Proof(DPoPFailure.WrongMethod);
        if (!SameUri(htu, request))
            throw Proof(DPoPFailure.WrongUri);
        var now = time.GetUtcNow();
        var issuedAt = DateTimeOffset.FromUnixTimeMilliseconds((long)(iatSeconds * 1000));
        if (issuedAt < now - TimeSpan.FromSeconds(options.MaxAgeSeconds))
            throw Proof(DPoPFailure.TooOld);
        if (issuedAt > now + TimeSpan.FromSeconds(options.FutureSkewSeconds))
            throw Proof(DPoPFailure.IssuedInFuture);
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(ath), Encoding.ASCII.GetBytes(AccessTokenHash(accessToken.EncodedToken))))
            throw Proof(DPoPFailure.WrongAth);

        var thumbprint = Thumbprint(jwk);
        var bound = BoundThumbprint(accessToken) ?? throw Token(DPoPFailure.TokenNotBound);
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(bound), Encoding.ASCII.GetBytes(thumbprint)))
            throw Token(DPoPFailure.WrongKey);

        var expiresAt = issuedAt + TimeSpan.FromSeconds(options.MaxAgeSeconds + options.FutureSkewSeconds);
        if (!await replays.TryAddAsync($"{thumbprint}:{jti}", expiresAt, request.HttpContext.RequestAborted))
            throw Proof(DPoPFailure.Replayed);
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

    private static JsonWebKey PublicKey(JsonElement header, string alg)
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
            "ES256" => jwk is { Kty: "EC", Crv: "P-256" },
            "ES384" => jwk is { Kty: "EC", Crv: "P-384" },
            "ES512" => jwk is { Kty: "EC", Crv: "P-521" },
            "EdDSA" => jwk is { Kty: "OKP", Crv: "Ed25519" },
            _ => jwk.Kty == "RSA",
        };
        return fits && !string.IsNullOrEmpty(jwk.Kty) ? jwk : throw Proof(DPoPFailure.BadKey);
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

    /// <summary>RFC 9449 §4.3 (9): scheme and host case-insensitive, default port implied, query and fragment ignored.</summary>
    private static bool SameUri(string htu, HttpRequest request)
    {
        if (!Uri.TryCreate(htu, UriKind.Absolute, out var proofUri) || proofUri.Scheme is not ("http" or "https"))
            return false;
        var requestUri = new Uri($"{request.Scheme}://{request.Host.ToUriComponent()}{request.PathBase.ToUriComponent()}{request.Path.ToUriComponent()}");
        return Uri.Compare(proofUri, requestUri, UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped, StringComparison.OrdinalIgnoreCase) == 0
               && string.Equals(proofUri.AbsolutePath, requestUri.AbsolutePath, StringComparison.Ordinal);
    }

    private static DPoPException Proof(string description) => new(DPoPFailure.InvalidProof, description);

    private static DPoPException Token(string description) => new("invalid_token", description);
}
