namespace MySecureApi.Infrastructure.Errors;

/// <summary>The documented errors (docs/errors.md) that are not about credentials (those are <c>Auth.AuthErrors</c>).</summary>
public static class ApiErrors
{
    public static readonly ApiError ServerError =
        new(StatusCodes.Status500InternalServerError, "server_error", "An unexpected error occurred");

    public static ApiError RateLimited(TimeSpan retryAfter) =>
        new(StatusCodes.Status429TooManyRequests, "rate_limited", "Too many requests") { RetryAfter = retryAfter };

    public static ApiError Validation(IReadOnlyDictionary<string, string[]> fields) =>
        new(StatusCodes.Status400BadRequest, "invalid_request", "The request is invalid") { Fields = fields };

    public static ApiError Unavailable(string message, string? detail, TimeSpan retryAfter) =>
        new(StatusCodes.Status503ServiceUnavailable, "temporarily_unavailable", message, detail) { RetryAfter = retryAfter };

    public static readonly ApiError NotFound = new(StatusCodes.Status404NotFound, "not_found", "The requested resource was not found");

    public static readonly ApiError PreconditionFailed = new(StatusCodes.Status412PreconditionFailed, "precondition_failed",
        "The resource has changed", "If-Match does not match the current ETag: read it again before changing it");

    public static readonly ApiError IdempotencyKeyReused = new(StatusCodes.Status422UnprocessableEntity, "idempotency_key_reused",
        "The Idempotency-Key was used for another request", "A retry must send the same body as the request that first used the key");

    public static readonly ApiError IdempotencyKeyInUse = new(StatusCodes.Status409Conflict, "idempotency_key_in_use",
        "A request with this Idempotency-Key is still being processed", "Retry when it has finished") { RetryAfter = TimeSpan.FromSeconds(1) };

    /// <summary>Errors the framework raises without a body of its own (routing, status-code pages).</summary>
    public static ApiError ForStatus(int status) => status switch
    {
        StatusCodes.Status400BadRequest => new(status, "invalid_request", "The request is invalid"),
        StatusCodes.Status401Unauthorized => new(status, "unauthorized", "Authentication required"),
        StatusCodes.Status403Forbidden => new(status, "forbidden", "Access denied"),
        StatusCodes.Status404NotFound => NotFound,
        StatusCodes.Status405MethodNotAllowed => new(status, "method_not_allowed", "The method is not allowed for this resource"),
        StatusCodes.Status413PayloadTooLarge => new(status, "payload_too_large", "The request body is too large"),
        StatusCodes.Status415UnsupportedMediaType => new(status, "unsupported_media_type", "The content type is not supported: send application/json"),
        StatusCodes.Status429TooManyRequests => new(status, "rate_limited", "Too many requests"),
        StatusCodes.Status503ServiceUnavailable => new(status, "temporarily_unavailable", "The service is temporarily unavailable"),
        >= 500 => ServerError with { Status = status },
        _ => new(status, "invalid_request", "The request could not be processed"),
    };
}
