namespace MySecureApi.Infrastructure.Auth.Tokens;

/// <summary>
/// The access token as sent (a slice of the header, copied only when JwtBearer needs it as a string), with its scheme
/// and, for <c>DPoP</c>, the proof.
/// </summary>
public sealed record Credentials(string Scheme, ReadOnlyMemory<char> Token, string? Proof);
