using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text;
using Microsoft.IdentityModel.Tokens;
using MySecureApi.Infrastructure.Auth.DPoP;

namespace MySecureApi.Features.DevIssuer;

/// <summary>
/// A local DPoP client for trying DPoP without a real one: an EC P-256 key kept (owner-only) next to the development
/// issuer's key, and fresh ES256 proofs for a method and URL.
/// </summary>
public sealed class DevDPoPClient : IDisposable
{
    private readonly ECDsa key;

    public DevDPoPClient(string path)
    {
        key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        OwnerOnlyFile.LoadOrSaveKey(key, path);
        PublicJwk = JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(ECDsa.Create(key.ExportParameters(false))));
        Thumbprint = DPoPProofValidator.Thumbprint(PublicJwk);
    }

    public JsonWebKey PublicJwk { get; }

    /// <summary>RFC 7638 thumbprint, the token's <c>cnf.jkt</c>.</summary>
    public string Thumbprint { get; }

    public static string DefaultPath(DevIssuerOptions settings) =>
        Path.Combine(Path.GetDirectoryName(settings.KeyPath)!, "dev-dpop-client-key.pem");

    public string Proof(string method, string url, string accessToken, DateTimeOffset now)
    {
        var header = new JsonObject
        {
            ["typ"] = "dpop+jwt", ["alg"] = "ES256",
            ["jwk"] = new JsonObject { ["kty"] = "EC", ["crv"] = PublicJwk.Crv, ["x"] = PublicJwk.X, ["y"] = PublicJwk.Y },
        };
        var payload = new JsonObject
        {
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["htm"] = method,
            ["htu"] = url,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["ath"] = DPoPProofValidator.AccessTokenHash(accessToken),
        };
        var input = $"{Encode(header)}.{Encode(payload)}";
        var signature = key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return $"{input}.{Base64UrlEncoder.Encode(signature)}";
    }

    private static string Encode(JsonNode node) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(node.ToJsonString()));

    public void Dispose() => key.Dispose();
}
