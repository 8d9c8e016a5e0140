using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace MySecureApi.Infrastructure.Auth.DPoP;

/// <summary>
/// In-memory replay cache for one instance, bounded in bytes: fixed-size entries, at most
/// <see cref="DPoPOptions.ReplayCacheSize"/> in all and <see cref="DPoPOptions.ReplayCachePerKeyLimit"/> per client key,
/// each kept until the proof's <c>iat</c> window ends.
/// </summary>
public sealed class MemoryDPoPReplayCache(IOptions<DPoPOptions> settings, TimeProvider time) : IDPoPReplayCache
{
    private static readonly TimeSpan FullPruneInterval = TimeSpan.FromSeconds(1);
    private readonly ConcurrentDictionary<UInt128, Bucket> buckets = new();
    private readonly int capacity = settings.Value.ReplayCacheSize;
    private readonly int perKey = settings.Value.ReplayCachePerKeyLimit;
    private readonly Lock pruning = new();
    private long lastFullPrune = long.MinValue;
    private int count;

    /// <summary>One client key's proofs: <c>jti</c> hash → end of its window (UTC ticks). Locked while used.</summary>
    private sealed class Bucket
    {
        public readonly Dictionary<UInt128, long> Proofs = [];
        public bool Removed;
    }

    /// <summary>Proofs remembered now (for tests and metrics).</summary>
    public int Count => Volatile.Read(ref count);

    public ValueTask<bool> TryAddAsync(DPoPReplayKey key, DateTimeOffset expiresAt, CancellationToken cancel)
    {
        var now = time.GetUtcNow().UtcTicks;
        if (Volatile.Read(ref count) >= capacity)
            PruneAll(now);
        while (true)
        {
            var bucket = buckets.GetOrAdd(key.Client, static _ => new Bucket());
            lock (bucket)
            {
                if (bucket.Removed)
                    continue;
                return ValueTask.FromResult(Add(bucket, key.Proof, expiresAt.UtcTicks, now));
            }
        }
    }

    private bool Add(Bucket bucket, UInt128 proof, long until, long now)
    {
        if (bucket.Proofs.TryGetValue(proof, out var seenUntil))
        {
            if (seenUntil > now)
                return false;
            bucket.Proofs[proof] = until;
            return true;
        }
        if (bucket.Proofs.Count >= perKey && Prune(bucket, now) is { } wait)
            throw new DPoPQuotaExceededException(wait);
        if (Interlocked.Increment(ref count) > capacity)
        {
            Interlocked.Decrement(ref count);
            throw new ReplayCacheUnavailableException("the DPoP replay cache is full");
        }
        bucket.Proofs[proof] = until;
        return true;
    }

    /// <summary>Drops a bucket's lapsed proofs; while it is still full, returns how long until its first one lapses.</summary>
    private TimeSpan? Prune(Bucket bucket, long now)
    {
        var first = long.MaxValue;
        foreach (var (proof, until) in bucket.Proofs)
        {
            if (until <= now)
            {
                bucket.Proofs.Remove(proof);
                Interlocked.Decrement(ref count);
            }
            else if (until < first)
            {
                first = until;
            }
        }
        return bucket.Proofs.Count >= perKey ? TimeSpan.FromTicks(first - now) : null;
    }

    /// <summary>When the cache is full: drops lapsed proofs everywhere, at most once per second (a full scan costs).</summary>
    private void PruneAll(long now)
    {
        lock (pruning)
        {
            if (now - lastFullPrune < FullPruneInterval.Ticks)
                return;
            lastFullPrune = now;
        }
        foreach (var (client, bucket) in buckets)
        {
            lock (bucket)
            {
                Prune(bucket, now);
                if (bucket.Proofs.Count == 0)
                {
                    bucket.Removed = true;
                    buckets.TryRemove(client, out _);
                }
            }
        }
    }
}
