using Microsoft.Extensions.DependencyInjection.Extensions;
using MySecureApi.Infrastructure.Auth.DPoP;

namespace MySecureApi.Infrastructure.Redis;

/// <summary>Shared state for many instances: with <c>REDIS_URL</c>, the DPoP replay cache (and the rate limits) live in Redis.</summary>
public static class RedisSetup
{
    public static IServiceCollection AddSharedState(this IServiceCollection services)
    {
        services.AddOptions<RedisSettings>().Configure<IConfiguration>((settings, config) =>
        {
            config.GetSection(RedisSettings.Section).Bind(settings);
            if (!string.IsNullOrWhiteSpace(config[RedisSettings.UrlVariable]))
                settings.Configuration = config[RedisSettings.UrlVariable];
        });
        services.AddSingleton<RedisConnection>();
        services.AddHostedService<RedisStarter>();
        services.Replace(ServiceDescriptor.Singleton<IDPoPReplayCache>(sp => sp.GetRequiredService<RedisConnection>().Configured
            ? ActivatorUtilities.CreateInstance<RedisDPoPReplayCache>(sp)
            : ActivatorUtilities.CreateInstance<MemoryDPoPReplayCache>(sp)));
        return services;
    }

    private sealed class RedisStarter(RedisConnection redis) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            redis.Start();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
