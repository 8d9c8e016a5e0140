namespace MySecureApi.Features.Public.GetPublic;

internal sealed record Response(string Message);
