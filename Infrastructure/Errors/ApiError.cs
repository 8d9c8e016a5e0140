namespace MySecureApi.Infrastructure.Errors;

/// <summary>One documented error answer (docs/errors.md): status, the Express-compatible <c>error</c>/<c>message</c>, and headers.</summary>
public sealed record ApiError(int Status, string Code, string Message, string? Detail = null, IChallenge? Challenge = null)
{
    public IReadOnlyDictionary<string, string[]>? Fields { get; init; }

    /// <summary>Sent as <c>Retry-After</c> (whole seconds, at least 1) with 429 and 503.</summary>
    public TimeSpan? RetryAfter { get; init; }
}
