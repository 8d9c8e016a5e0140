using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;

namespace MySecureApi.Infrastructure.Auth.Keys;

/// <summary>Fetches the key set in the background as the app starts; never delays or fails startup.</summary>
internal sealed class SigningKeyWarmUp(IOptionsMonitor<JwtBearerOptions> bearer, SigningKeySource source) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = bearer.Get(JwtBearerDefaults.AuthenticationScheme);
        source.WarmUp();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
