namespace MySecureApi.Infrastructure.Auth.DPoP;

/// <summary>One client key sent more proofs within the window than <c>Auth0:DPoP:ReplayCachePerKeyLimit</c>: 429.</summary>
public sealed class DPoPQuotaExceededException(TimeSpan retryAfter) : Exception("too many DPoP proofs for one key")
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
