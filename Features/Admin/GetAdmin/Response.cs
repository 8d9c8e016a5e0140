namespace MySecureApi.Features.Admin.GetAdmin;

internal sealed record Response(string Message, string UserId);
