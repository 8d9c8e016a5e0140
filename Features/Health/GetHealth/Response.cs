namespace MySecureApi.Features.Health.GetHealth;

internal sealed record Response(string Status);
