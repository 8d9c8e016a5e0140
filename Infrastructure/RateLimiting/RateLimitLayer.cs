using System.Threading.RateLimiting;
using MySecureApi.Infrastructure.Redis;
using RedisRateLimiting;
using StackExchange.Redis;

namespace MySecureApi.Infrastructure.RateLimiting;

/// <summary>
/// One partitioned limiter (System.Threading.RateLimiting in memory, RedisRateLimiting when Redis is configured).
/// When Redis cannot answer, the layer fails open — the request passes — and says so once per state change.
/// </summary>
public sealed class RateLimitLayer : IDisposable
{
    private readonly PartitionedRateLimiter<string> limiter;
    private readonly RateLimitLayerOptions options;
    private readonly ILogger logger;
    private readonly RedisConnection redis;
    private int failingOpen;

    public RateLimitLayer(string name, RateLimitLayerOptions options, RedisConnection redis, ILogger logger)
    {
        Name = name;
        this.options = options;
        this.logger = logger;
        this.redis = redis;
        limiter = redis.Configured
            ? PartitionedRateLimiter.Create<string, string>(key => RedisPartition($"mysecureapi:rl:{name}:{key}", redis))
            : PartitionedRateLimiter.Create<string, string>(MemoryPartition);
    }

    public string Name { get; }

    /// <summary>Null when the request may pass; otherwise how long the client should wait.</summary>
    public async ValueTask<TimeSpan?> RejectAsync(string partition, CancellationToken cancel)
    {
        if (redis is { Configured: true, IsConnected: false })
            return FailOpen("not connected");
        RateLimitLease lease;
        try
        {
            lease = await limiter.AcquireAsync(partition, 1, cancel);
        }
        catch (Exception e) when (e is RedisException or TimeoutException or InvalidOperationException)
        {
            return FailOpen(e.GetType().Name);
        }
        using (lease)
        {
            if (Interlocked.Exchange(ref failingOpen, 0) == 1)
                logger.LogInformation("Rate limit layer {Layer} reaches Redis again", Name);
            if (lease.IsAcquired)
                return null;
            return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(options.WindowSeconds);
        }
    }

    private TimeSpan? FailOpen(string cause)
    {
        if (Interlocked.Exchange(ref failingOpen, 1) == 0)
            logger.LogWarning("Rate limit layer {Layer} cannot reach Redis ({Cause}); requests pass unlimited until it returns", Name, cause);
        return null;
    }

    private RateLimitPartition<string> MemoryPartition(string key) => options.Algorithm switch
    {
        RateLimitAlgorithm.FixedWindow => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.PermitLimit, Window = Window, QueueLimit = 0,
        }),
        RateLimitAlgorithm.TokenBucket => RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = options.PermitLimit, TokensPerPeriod = options.TokensPerPeriod, ReplenishmentPeriod = Window, QueueLimit = 0,
        }),
        _ => RateLimitPartition.GetSlidingWindowLimiter(key, _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = options.PermitLimit, Window = Window, SegmentsPerWindow = options.SegmentsPerWindow, QueueLimit = 0,
        }),
    };

    private RateLimitPartition<string> RedisPartition(string key, RedisConnection redis)
    {
        Func<IConnectionMultiplexer> multiplexer = () => redis.Multiplexer ?? throw new InvalidOperationException("Redis is not connected");
        return options.Algorithm switch
        {
            RateLimitAlgorithm.FixedWindow => RedisRateLimitPartition.GetFixedWindowRateLimiter(key, _ => new RedisFixedWindowRateLimiterOptions
            {
                ConnectionMultiplexerFactory = multiplexer, PermitLimit = options.PermitLimit, Window = Window,
            }),
            RateLimitAlgorithm.TokenBucket => RedisRateLimitPartition.GetTokenBucketRateLimiter(key, _ => new RedisTokenBucketRateLimiterOptions
            {
                ConnectionMultiplexerFactory = multiplexer, TokenLimit = options.PermitLimit, TokensPerPeriod = options.TokensPerPeriod, ReplenishmentPeriod = Window,
            }),
            _ => RedisRateLimitPartition.GetSlidingWindowRateLimiter(key, _ => new RedisSlidingWindowRateLimiterOptions
            {
                ConnectionMultiplexerFactory = multiplexer, PermitLimit = options.PermitLimit, Window = Window,
            }),
        };
    }

    private TimeSpan Window => TimeSpan.FromSeconds(options.WindowSeconds);

    public void Dispose() => limiter.Dispose();
}
