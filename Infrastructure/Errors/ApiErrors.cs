namespace MySecureApi.Infrastructure.Errors;

/// <summary>The contract's errors that are not about credentials (those are <c>Auth.AuthErrors</c>).</summary>
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

    /// <summary>Errors the framework raises without a body of its own (routing, status-code pages).</summary>
    public static ApiError ForStatus(int status) => status switch
    {
        StatusCodes.Status400BadRequest => new(status, "invalid_request", "The request is invalid"),
        StatusCodes.Status401Unauthorized => new(status, "unauthorized", "Authentication required"),
        StatusCodes.Status403Forbidden => new(status, "forbidden", "Access denied"),
        StatusCodes.Status404NotFound => new(status, "not_found", "The requested resource was not found"),
        StatusCodes.Status405MethodNotAllowed => new(status, "method_not_allowed", "The method is not allowed for this resource"),
        StatusCodes.Status413PayloadTooLarge => new(status, "invalid_request", "The request body is too large"),
        StatusCodes.Status415UnsupportedMediaType => new(status, "invalid_request", "The content type is not supported"),
        StatusCodes.Status429TooManyRequests => new(status, "rate_limited", "Too many requests"),
        StatusCodes.Status503ServiceUnavailable => new(status, "temporarily_unavailable", "The service is temporarily unavailable"),
        >= 500 => ServerError with { Status = status },
        _ => new(status, "invalid_request", "The request could not be processed"),
    };
}
