using Microsoft.Extensions.Options;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MySecureApi.Infrastructure.Auth.DPoP;
using MySecureApi.Infrastructure.Hosting;

namespace MySecureApi.Infrastructure.Redis;

/// <summary>
/// Redis, for state shared by many instances: with <c>REDIS_URL</c> the DPoP replay cache and the rate-limit counters
/// live there (without it, in each instance's memory); its connection, health check and start-up.
/// </summary>
public static class RedisSetup
{
    public static IServiceCollection AddRedis(this IServiceCollection services)
    {
        services.AddOptions<RedisOptions>().BindConfiguration(RedisOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RedisOptions>, RedisOptionsValidator>();
        services.AddSingleton<RedisConnection>();
        services.AddHealthChecks().AddCheck<RedisHealthCheck>(RedisHealthCheck.Name, HealthStatus.Degraded, [HealthTags.Ready]);
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
