using Microsoft.IdentityModel.Tokens;

namespace MySecureApi.Infrastructure.Auth.Tokens;

/// <summary>A failed rule of our own, carrying its description from <see cref="TokenFailure"/>.</summary>
public sealed class TokenRuleException(string description) : SecurityTokenValidationException(description)
{
    public string Description { get; } = description;
}
