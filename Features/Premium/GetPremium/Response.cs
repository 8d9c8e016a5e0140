namespace MySecureApi.Features.Premium.GetPremium;

internal sealed record Response(string Message);
