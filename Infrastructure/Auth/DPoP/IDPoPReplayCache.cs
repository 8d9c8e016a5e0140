namespace MySecureApi.Infrastructure.Auth.DPoP;

/// <summary>Remembers DPoP proofs (by key thumbprint and <c>jti</c>) until they could no longer be accepted anyway.</summary>
public interface IDPoPReplayCache
{
    /// <summary>False when the proof was seen before.</summary>
    /// <exception cref="ReplayCacheUnavailableException">the cache cannot answer; the proof must be refused</exception>
    /// <exception cref="DPoPQuotaExceededException">this client key has as many proofs in the window as it may have</exception>
    ValueTask<bool> TryAddAsync(DPoPReplayKey key, DateTimeOffset expiresAt, CancellationToken cancel);
}
