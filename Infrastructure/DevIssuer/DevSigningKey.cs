using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace MySecureApi.Infrastructure.DevIssuer;

/// <summary>
/// The development issuer's RSA-2048 key: generated on first use and kept outside the repository (per-user
/// application data, owner-only), reused on later runs so tokens survive restarts. Its <c>kid</c> is the RFC 7638 thumbprint.
/// </summary>
public sealed class DevSigningKey
{
    public DevSigningKey(DevIssuerSettings settings)
    {
        Path = settings.KeyPath;
        var rsa = RSA.Create(2048);
        OwnerOnlyFile.LoadOrSaveKey(rsa, Path);
        var key = new RsaSecurityKey(rsa);
        key.KeyId = Base64UrlEncoder.Encode(key.ComputeJwkThumbprint());
        Key = key;
        PublicJwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.ExportParameters(false)) { KeyId = key.KeyId });
        PublicJwk.Use = JsonWebKeyUseNames.Sig;
        PublicJwk.Alg = SecurityAlgorithms.RsaSha256;
    }

    public string Path { get; }

    public RsaSecurityKey Key { get; }

    public JsonWebKey PublicJwk { get; }

    public SigningCredentials Credentials => new(Key, SecurityAlgorithms.RsaSha256);
}
