using Microsoft.Extensions.Options;
using MySecureApi.Infrastructure.Auth.DPoP;
using StackExchange.Redis;

namespace MySecureApi.Infrastructure.Redis;

/// <summary>
/// The DPoP replay cache shared by every instance. Keys have a fixed size (hex of the 128-bit client and proof
/// hashes), and a per-client-key counter that lives one proof window caps how many proofs one key may store.
/// Fails closed when Redis is unreachable.
/// </summary>
internal sealed class RedisDPoPReplayCache(RedisConnection redis, TimeProvider time, IOptions<DPoPOptions> settings) : IDPoPReplayCache
{
    /// <summary>Both keys share the <c>{client}</c> hash tag, so the script also runs on a Redis Cluster.</summary>
    internal const string Prefix = "mysecureapi:dpop:";

    // KEYS[1] the proof, KEYS[2] the client key's counter; ARGV: proof TTL ms, window ms, per-key limit.
    // Returns 0 (replayed), 1 (stored) or -(ms until the counter lapses) when the key is over its limit.
    private static readonly LuaScript Script = LuaScript.Prepare("""
        if redis.call('EXISTS', @proof) == 1 then return 0 end
        local n = redis.call('INCR', @counter)
        if n == 1 then redis.call('PEXPIRE', @counter, @window) end
        if n > tonumber(@limit) then
          local ttl = redis.call('PTTL', @counter)
          if ttl < 1 then ttl = 1 end
          return -ttl
        end
        redis.call('SET', @proof, 1, 'PX', @ttl)
        return 1
        """);

    private readonly DPoPOptions options = settings.Value;

    public async ValueTask<bool> TryAddAsync(DPoPReplayKey key, DateTimeOffset expiresAt, CancellationToken cancel)
    {
        var multiplexer = redis.Multiplexer;
        if (multiplexer is null || !multiplexer.IsConnected)
            throw new ReplayCacheUnavailableException("Redis is not connected");
        var ttl = expiresAt - time.GetUtcNow();
        if (ttl <= TimeSpan.Zero)
            ttl = TimeSpan.FromSeconds(1);
        var client = $"{Prefix}{{{key.Client:x32}}}";
        RedisResult result;
        try
        {
            result = await multiplexer.GetDatabase().ScriptEvaluateAsync(Script, new
            {
                proof = (RedisKey)$"{client}:{key.Proof:x32}",
                counter = (RedisKey)$"{client}:n",
                ttl = (long)Math.Ceiling(ttl.TotalMilliseconds),
                window = (long)options.Window.TotalMilliseconds,
                limit = options.ReplayCachePerKeyLimit,
            });
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            throw new ReplayCacheUnavailableException("Redis did not answer");
        }
        var answer = (long)result;
        return answer >= 0 ? answer == 1 : throw new DPoPQuotaExceededException(TimeSpan.FromMilliseconds(-answer));
    }
}
