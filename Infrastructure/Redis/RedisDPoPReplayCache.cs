using MySecureApi.Infrastructure.Auth.DPoP;
using StackExchange.Redis;

namespace MySecureApi.Infrastructure.Redis;

/// <summary>The DPoP replay cache shared by every instance: <c>SET key 1 NX PX ttl</c>. Fails closed when Redis is unreachable.</summary>
internal sealed class RedisDPoPReplayCache(RedisConnection redis, TimeProvider time) : IDPoPReplayCache
{
    private const string Prefix = "mysecureapi:dpop:";

    public async ValueTask<bool> TryAddAsync(string key, DateTimeOffset expiresAt, CancellationToken cancel)
    {
        var multiplexer = redis.Multiplexer;
        if (multiplexer is null || !multiplexer.IsConnected)
            throw new ReplayCacheUnavailableException("Redis is not connected");
        var ttl = expiresAt - time.GetUtcNow();
        if (ttl <= TimeSpan.Zero)
            ttl = TimeSpan.FromSeconds(1);
        try
        {
            return await multiplexer.GetDatabase().StringSetAsync(Prefix + key, 1, ttl, When.NotExists);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            throw new ReplayCacheUnavailableException("Redis did not answer");
        }
    }
}
