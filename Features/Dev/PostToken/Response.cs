namespace MySecureApi.Features.Dev.PostToken;

internal sealed record Response(string AccessToken, string TokenType, int ExpiresIn);
