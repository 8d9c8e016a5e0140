namespace MySecureApi.Features.Private.GetPrivate;

internal sealed record Response(string Message, string User);
