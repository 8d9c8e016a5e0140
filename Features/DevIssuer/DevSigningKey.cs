using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using MySecureApi.Infrastructure.Auth.Keys;
using MySecureApi.Infrastructure.Auth.Settings;

namespace MySecureApi.Features.DevIssuer;

/// <summary>
/// The development issuer's RSA-2048 key: generated on first use and kept outside the repository (per-user
/// application data, owner-only), reused on later runs so tokens survive restarts. Its <c>kid</c> is the RFC 7638
/// thumbprint. Read or created only when first used, and only while the development issuer is active, so endpoints can
/// take it by injection in every environment.
/// </summary>
public sealed class DevSigningKey(IOptions<DevIssuerOptions> settings, Auth0Settings auth0) : ILocalSigningKey
{
    private readonly Lazy<(RsaSecurityKey Key, JsonWebKey PublicJwk)> loaded = new(() => Load(settings.Value, auth0));

    public string Path => settings.Value.KeyPath;

    public RsaSecurityKey Key => loaded.Value.Key;

    SecurityKey ILocalSigningKey.Key => Key;

    public JsonWebKey PublicJwk => loaded.Value.PublicJwk;

    public SigningCredentials Credentials => new(Key, SecurityAlgorithms.RsaSha256);

    private static (RsaSecurityKey, JsonWebKey) Load(DevIssuerOptions settings, Auth0Settings auth0)
    {
        if (!auth0.UsesDevelopmentIssuer)
            throw new InvalidOperationException("The development issuer is not active: its key is never read or created.");
        var rsa = RSA.Create(2048);
        OwnerOnlyFile.LoadOrSaveKey(rsa, settings.KeyPath);
        var key = new RsaSecurityKey(rsa);
        key.KeyId = Base64UrlEncoder.Encode(key.ComputeJwkThumbprint());
        var publicJwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.ExportParameters(false)) { KeyId = key.KeyId });
        publicJwk.Use = JsonWebKeyUseNames.Sig;
        publicJwk.Alg = SecurityAlgorithms.RsaSha256;
        return (key, publicJwk);
    }
}
