namespace MySecureApi.Infrastructure.Auth.Tokens;

/// <summary>RFC 6750 §3.1 <c>invalid_request</c>: the credentials are malformed, not the token.</summary>
public sealed class MalformedCredentialsException(string description) : Exception(description)
{
    public string Description { get; } = description;
}
