namespace MySecureApi.Features.Org.GetOrg;

internal sealed record Response(string Message);
