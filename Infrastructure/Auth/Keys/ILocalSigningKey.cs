using Microsoft.IdentityModel.Tokens;

namespace MySecureApi.Infrastructure.Auth.Keys;

/// <summary>A signing key held by this process (the development issuer's), used instead of fetching the issuer's JWKS.</summary>
public interface ILocalSigningKey
{
    SecurityKey Key { get; }
}
