using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace MySecureApi.Infrastructure.Auth.DPoP;

/// <summary>Remembers DPoP proofs (by key thumbprint and <c>jti</c>) until they could no longer be accepted anyway.</summary>
public interface IDPoPReplayCache
{
    /// <summary>False when the proof was seen before.</summary>
    /// <exception cref="ReplayCacheUnavailableException">the cache cannot answer; the proof must be refused</exception>
    ValueTask<bool> TryAddAsync(string key, DateTimeOffset expiresAt, CancellationToken cancel);
}

/// <summary>The replay cache cannot answer (full, or its store is unreachable): DPoP requests fail closed with 503.</summary>
public sealed class ReplayCacheUnavailableException(string message) : Exception(message);

/// <summary>In-memory, bounded replay cache for one instance; entries expire with the proof's <c>iat</c> window.</summary>
public sealed class MemoryDPoPReplayCache(IOptions<Auth0Options> auth0, TimeProvider time) : IDPoPReplayCache
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> seen = new(StringComparer.Ordinal);
    private readonly int capacity = auth0.Value.DPoP.ReplayCacheSize;
    private readonly Lock pruning = new();

    public ValueTask<bool> TryAddAsync(string key, DateTimeOffset expiresAt, CancellationToken cancel)
    {
        var now = time.GetUtcNow();
        if (seen.TryGetValue(key, out var until) && until > now)
            return ValueTask.FromResult(false);
        if (seen.Count >= capacity)
            Prune(now);
        if (seen.Count >= capacity)
            throw new ReplayCacheUnavailableException("the DPoP replay cache is full");
        if (until != default)
            return ValueTask.FromResult(seen.TryUpdate(key, expiresAt, until));
        return ValueTask.FromResult(seen.TryAdd(key, expiresAt));
    }

    private void Prune(DateTimeOffset now)
    {
        lock (pruning)
            foreach (var (key, until) in seen)
                if (until <= now)
                    seen.TryRemove(key, out _);
    }
}
