using Microsoft.Extensions.Options;
using MySecureApi.Infrastructure.Redis;

namespace MySecureApi.Infrastructure.RateLimiting;

/// <summary>The three layers of the instance (client IP, subject, subject writes), built once from <see cref="RateLimitingOptions"/>.</summary>
public sealed class RateLimitLayers(IOptions<RateLimitingOptions> options, RedisConnection redis, ILogger<RateLimitLayers> logger) : IDisposable
{
    public bool Enabled { get; } = options.Value.Enabled;

    public RateLimitLayer Ip { get; } = new("ip", options.Value.Ip, redis, logger);

    public RateLimitLayer Subject { get; } = new("sub", options.Value.Subject, redis, logger);

    public RateLimitLayer Write { get; } = new("write", options.Value.Write, redis, logger);

    public void Dispose()
    {
        Ip.Dispose();
        Subject.Dispose();
        Write.Dispose();
    }
}
