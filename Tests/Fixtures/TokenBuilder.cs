using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace MySecureApi.Tests.Fixtures;

/// <summary>
/// Mints access tokens byte for byte: by default exactly as Auth0 issues them (RS256, <c>kid</c>, <c>iss</c> with a
/// trailing slash, <c>aud</c> array with the userinfo URL, <c>azp</c>, <c>iat</c>, <c>exp</c>, <c>scope</c> string),
/// and with every knob a hostile token needs.
/// </summary>
public sealed class TokenBuilder : JwtBuilder<TokenBuilder>
{
    public const string Audience = "https://api.mysecureapi.test";
    public const string Subject = "auth0|5f7c8ec7c33c6c004bbafe82";
    public const string ClientId = "kbyuFDidLLm280LIwVFiazOqjO3ty8KH";

    private SigningKey key;
    private string algorithm = "RS256";
    private byte[]? hmacSecret;
    private bool unsigned;

    public TokenBuilder(SigningKey key)
        : base(
            new JsonObject { ["alg"] = "RS256", ["typ"] = "JWT", ["kid"] = key.Kid },
            new JsonObject
            {
                ["iss"] = TestIssuer.Issuer,
                ["sub"] = Subject,
                ["aud"] = new JsonArray(Audience, $"{TestIssuer.Issuer}userinfo"),
                ["iat"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                ["exp"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 3600,
                ["azp"] = ClientId,
                ["scope"] = "openid profile email",
            }) =>
        this.key = key;

    public TokenBuilder Scope(string scope) => With("scope", scope);

    public TokenBuilder Permissions(params string[] permissions) =>
        With("permissions", new JsonArray(permissions.Select(p => (JsonNode)p!).ToArray()));

    public TokenBuilder ExpiresIn(TimeSpan offset) => With("exp", DateTimeOffset.UtcNow.Add(offset).ToUnixTimeSeconds());

    public TokenBuilder SignedWith(SigningKey signingKey, bool keepKid = false)
    {
        key = signingKey;
        if (!keepKid)
            Header["kid"] = signingKey.Kid;
        return this;
    }

    /// <summary>Signs with another RSA algorithm (RS384/RS512/PS256…) under the same key.</summary>
    public TokenBuilder Algorithm(string alg)
    {
        algorithm = alg;
        Header["alg"] = alg;
        return this;
    }

    /// <summary>HMAC "key confusion": HS256 with the given bytes (e.g. the issuer's public key) as secret.</summary>
    public TokenBuilder Hs256With(byte[] secret)
    {
        hmacSecret = secret;
        return Algorithm("HS256");
    }

    public TokenBuilder Unsigned(string alg = "none")
    {
        unsigned = true;
        Header["alg"] = alg;
        return this;
    }

    public override string Build()
    {
        var input = SigningInput;
        return unsigned ? $"{input}." : $"{input}.{Base64UrlEncoder.Encode(Sign(Encoding.ASCII.GetBytes(input)))}";
    }

    private byte[] Sign(byte[] data) => algorithm switch
    {
        "HS256" => HMACSHA256.HashData(hmacSecret!, data),
        "RS256" => key.Rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
        "RS384" => key.Rsa.SignData(data, HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1),
        "RS512" => key.Rsa.SignData(data, HashAlgorithmName.SHA512, RSASignaturePadding.Pkcs1),
        "PS256" => key.Rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pss),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "no signer for this algorithm"),
    };
}
