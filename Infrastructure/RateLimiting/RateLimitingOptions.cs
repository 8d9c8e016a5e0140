namespace MySecureApi.Infrastructure.RateLimiting;

public enum RateLimitAlgorithm
{
    FixedWindow,
    SlidingWindow,
    TokenBucket,
}

/// <summary>One layer's limit: <c>PermitLimit</c> requests per <c>WindowSeconds</c> (token bucket: burst and refill).</summary>
public sealed class RateLimitLayerOptions
{
    public RateLimitAlgorithm Algorithm { get; set; } = RateLimitAlgorithm.SlidingWindow;

    /// <summary>Requests per window; for a token bucket, the burst size.</summary>
    public int PermitLimit { get; set; }

    public int WindowSeconds { get; set; } = 60;

    /// <summary>Sliding window only.</summary>
    public int SegmentsPerWindow { get; set; } = 6;

    /// <summary>Token bucket only: tokens added every <see cref="WindowSeconds"/>.</summary>
    public int TokensPerPeriod { get; set; }
}

/// <summary><c>RateLimiting:*</c>: a per-client-IP layer before token validation, a per-<c>sub</c> layer after it, and a per-<c>sub</c> layer for writes.</summary>
public sealed class RateLimitingOptions
{
    public const string Section = "RateLimiting";

    public bool Enabled { get; set; } = true;

    public RateLimitLayerOptions Ip { get; set; } = new() { PermitLimit = 600 };

    public RateLimitLayerOptions Subject { get; set; } = new() { PermitLimit = 300 };

    /// <summary>Writes (<c>POST</c>, <c>PUT</c>, <c>PATCH</c>, <c>DELETE</c>) per <c>sub</c>, on top of <see cref="Subject"/>.</summary>
    public RateLimitLayerOptions Write { get; set; } = new() { PermitLimit = 60 };
}
