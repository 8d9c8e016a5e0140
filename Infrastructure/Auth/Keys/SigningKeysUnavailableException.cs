using Microsoft.IdentityModel.Tokens;

namespace MySecureApi.Infrastructure.Auth.Keys;

/// <summary>The token's issuer has no signing-key set yet: the token cannot be judged (503), which is not the client's fault.</summary>
public sealed class SigningKeysUnavailableException(TimeSpan retryAfter) : SecurityTokenException("The issuer's signing keys are not available")
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
