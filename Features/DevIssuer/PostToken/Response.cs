namespace MySecureApi.Features.DevIssuer.PostToken;

internal sealed record Response(string AccessToken, string TokenType, int ExpiresIn);
