using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;
using MySecureApi.Infrastructure.Auth.DPoP;

namespace MySecureApi.Tests.Fixtures;

/// <summary>A client's DPoP key pair (ES256, RS256, PS256 or EdDSA) with its public JWK and RFC 7638 thumbprint.</summary>
public sealed class DPoPKey : IDisposable
{
    private readonly Func<byte[], byte[]> sign;
    private readonly IDisposable key;

    private DPoPKey(string alg, JsonObject jwk, Func<byte[], byte[]> sign, IDisposable key)
    {
        Alg = alg;
        PublicJwk = jwk;
        this.sign = sign;
        this.key = key;
        Thumbprint = DPoPProofValidator.Thumbprint(new JsonWebKey(jwk.ToJsonString()));
    }

    public string Alg { get; }
    public JsonObject PublicJwk { get; }
    public string Thumbprint { get; }

    public byte[] Sign(byte[] data) => sign(data);

    public static DPoPKey Es256()
    {
        var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var p = ec.ExportParameters(false);
        return new("ES256", new JsonObject { ["kty"] = "EC", ["crv"] = "P-256", ["x"] = Base64UrlEncoder.Encode(p.Q.X!), ["y"] = Base64UrlEncoder.Encode(p.Q.Y!) },
            data => ec.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation), ec);
    }

    public static DPoPKey Rsa(string alg = "RS256", int bits = 2048)
    {
        var rsa = RSA.Create(bits);
        var p = rsa.ExportParameters(false);
        var padding = alg.StartsWith("PS", StringComparison.Ordinal) ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;
        return new(alg, new JsonObject { ["kty"] = "RSA", ["n"] = Base64UrlEncoder.Encode(p.Modulus!), ["e"] = Base64UrlEncoder.Encode(p.Exponent!) },
            data => rsa.SignData(data, HashAlgorithmName.SHA256, padding), rsa);
    }

    public static DPoPKey EdDsa()
    {
        var algorithm = NSec.Cryptography.SignatureAlgorithm.Ed25519;
        var ed = NSec.Cryptography.Key.Create(algorithm, new NSec.Cryptography.KeyCreationParameters { ExportPolicy = NSec.Cryptography.KeyExportPolicies.AllowPlaintextExport });
        var x = ed.PublicKey.Export(NSec.Cryptography.KeyBlobFormat.RawPublicKey);
        return new("EdDSA", new JsonObject { ["kty"] = "OKP", ["crv"] = "Ed25519", ["x"] = Base64UrlEncoder.Encode(x) },
            data => algorithm.Sign(ed, data), ed);
    }

    public void Dispose() => key.Dispose();
}

/// <summary>Builds a DPoP proof JWT for a request, with every knob a failing proof needs.</summary>
public sealed class DPoPProofBuilder(DPoPKey key, string method, string url, string accessToken, DateTimeOffset? now = null)
    : JwtBuilder<DPoPProofBuilder>(
        new JsonObject { ["typ"] = "dpop+jwt", ["alg"] = key.Alg, ["jwk"] = key.PublicJwk.DeepClone() },
        new JsonObject
        {
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["htm"] = method,
            ["htu"] = url,
            ["iat"] = (now ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds(),
            ["ath"] = DPoPProofValidator.AccessTokenHash(accessToken),
        })
{
    private DPoPKey signer = key;

    /// <summary>Signs with another key than the one in the header.</summary>
    public DPoPProofBuilder SignedBy(DPoPKey other)
    {
        signer = other;
        return this;
    }

    public override string Build() => $"{SigningInput}.{Base64UrlEncoder.Encode(signer.Sign(Encoding.ASCII.GetBytes(SigningInput)))}";
}
