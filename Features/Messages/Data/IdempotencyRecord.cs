namespace MySecureApi.Features.Messages.Data;

/// <summary>
/// A <c>POST</c> made with an <c>Idempotency-Key</c>, stored in the same transaction as the message it created, with
/// the response to replay. Keyed by the SHA-256 of the caller's <c>sub</c> (fixed size, whatever the token says) and the key.
/// </summary>
internal sealed class IdempotencyRecord
{
    public string SubjectHash { get; set; } = "";

    public string Key { get; set; } = "";

    /// <summary>The SHA-256 of the request's meaning (the validated text): a retry must carry the same.</summary>
    public string RequestHash { get; set; } = "";

    public long MessageId { get; set; }

    /// <summary>The original response: its body, <c>ETag</c> and <c>Location</c>.</summary>
    public string ResponseBody { get; set; } = "";

    public string ETag { get; set; } = "";

    public DateTime CreatedAt { get; set; }
}
