namespace MySecureApi.Features.Roles.GetRoles;

internal sealed record Response(string Message);
