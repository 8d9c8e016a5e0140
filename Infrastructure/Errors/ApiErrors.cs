using MySecureApi.Infrastructure.Auth;
using MySecureApi.Infrastructure.Auth.DPoP;

namespace MySecureApi.Infrastructure.Errors;

/// <summary>The contract's error table, in one place.</summary>
public static class ApiErrors
{
    public const string AuthenticationRequired = "Authentication required";

    public static readonly ApiError Unauthorized =
        new(StatusCodes.Status401Unauthorized, "unauthorized", AuthenticationRequired, Challenge: AuthChallenge.Plain);

    public static readonly ApiError Forbidden = new(StatusCodes.Status403Forbidden, "forbidden", "Access denied");

    public static readonly ApiError ServerError =
        new(StatusCodes.Status500InternalServerError, "server_error", "An unexpected error occurred");

    public static ApiError InvalidRequest(string description) => new(
        StatusCodes.Status400BadRequest, "invalid_request", AuthenticationRequired, description,
        new AuthChallenge("invalid_request", description));

    public static ApiError InvalidToken(string description) => new(
        StatusCodes.Status401Unauthorized, "invalid_token", AuthenticationRequired, description,
        new AuthChallenge("invalid_token", description));

    public static ApiError InsufficientScope(IEnumerable<string> requiredScopes) => new(
        StatusCodes.Status403Forbidden, "insufficient_scope", "Missing required permissions", "Insufficient Scope",
        new AuthChallenge("insufficient_scope", "Insufficient Scope", string.Join(' ', requiredScopes)));

    public static ApiError InvalidDPoPProof(string description) => new(
        StatusCodes.Status400BadRequest, DPoPFailure.InvalidProof, AuthenticationRequired, description,
        new AuthChallenge(DPoPFailure.InvalidProof, description));

    public static readonly ApiError ReplayCacheUnavailable = new(
        StatusCodes.Status503ServiceUnavailable, "temporarily_unavailable", "DPoP proofs cannot be checked right now",
        "The DPoP replay cache is unavailable") { RetryAfter = TimeSpan.FromSeconds(5) };

    public static ApiError SigningKeysUnavailable(TimeSpan retryAfter) => new(
        StatusCodes.Status503ServiceUnavailable, "temporarily_unavailable", "The signing keys cannot be obtained right now",
        "The token cannot be checked until the issuer's signing keys are available") { RetryAfter = retryAfter };

    public static ApiError RateLimited(TimeSpan retryAfter) =>
        new(StatusCodes.Status429TooManyRequests, "rate_limited", "Too many requests") { RetryAfter = retryAfter };

    public static ApiError Validation(IReadOnlyDictionary<string, string[]> fields) =>
        new(StatusCodes.Status400BadRequest, "invalid_request", "The request is invalid") { Fields = fields };

    /// <summary>The answer to a failed (or absent) authentication: no credentials, malformed credentials, or a bad token.</summary>
    public static ApiError ForAuthenticationFailure(Exception? failure) => failure switch
    {
        null => Unauthorized,
        MalformedCredentialsException malformed => InvalidRequest(malformed.Description),
        DPoPException { Error: DPoPFailure.InvalidProof } dpop => InvalidDPoPProof(dpop.Description),
        DPoPException { Error: "invalid_request" } dpop => InvalidRequest(dpop.Description),
        DPoPException dpop => InvalidToken(dpop.Description),
        ReplayCacheUnavailableException => ReplayCacheUnavailable,
        DPoPQuotaExceededException quota => RateLimited(quota.RetryAfter),
        _ => InvalidToken(TokenFailure.Describe(failure)),
    };

    /// <summary>Errors the framework raises without a body of its own (routing, status-code pages).</summary>
    public static ApiError ForStatus(int status) => status switch
    {
        StatusCodes.Status400BadRequest => new(status, "invalid_request", "The request is invalid"),
        StatusCodes.Status401Unauthorized => Unauthorized,
        StatusCodes.Status403Forbidden => Forbidden,
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
