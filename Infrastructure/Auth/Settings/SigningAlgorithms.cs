namespace MySecureApi.Infrastructure.Auth.Settings;

/// <summary>The signature algorithms a token or a DPoP proof may be configured to accept: asymmetric only.</summary>
public static class SigningAlgorithms
{
    public static readonly string[] Asymmetric = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"];
}
