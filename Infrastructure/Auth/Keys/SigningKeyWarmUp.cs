using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;

namespace MySecureApi.Infrastructure.Auth.Keys;

/// <summary>Fetches every issuer's key set in the background as the app starts; never delays or fails startup.</summary>
internal sealed class SigningKeyWarmUp(IOptionsMonitor<JwtBearerOptions> bearer, TrustedIssuers issuers) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = bearer.Get(JwtBearerDefaults.AuthenticationScheme);
        issuers.WarmUp();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
