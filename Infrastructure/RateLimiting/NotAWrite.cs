namespace MySecureApi.Infrastructure.RateLimiting;

/// <summary>
/// Endpoint metadata: a route whose <c>POST</c> is not a write in itself (the MCP endpoint: its calls are counted as
/// writes where they write), so the per-subject write layer leaves it to them.
/// </summary>
public sealed class NotAWrite;
