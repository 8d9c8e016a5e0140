using MySecureApi.Infrastructure.Auth.DPoP;
using MySecureApi.Infrastructure.Auth.Keys;
using MySecureApi.Infrastructure.Auth.Tokens;
using MySecureApi.Infrastructure.Errors;

namespace MySecureApi.Infrastructure.Auth.Challenges;

/// <summary>The documented answers about credentials (docs/errors.md): 400/401 with their challenge, 403, and the 503s of the key set and replay cache.</summary>
public static class AuthErrors
{
    public const string AuthenticationRequired = "Authentication required";

    public static readonly ApiError Unauthorized =
        new(StatusCodes.Status401Unauthorized, "unauthorized", AuthenticationRequired, Challenge: AuthChallenge.Plain);

    public static readonly ApiError Forbidden = new(StatusCodes.Status403Forbidden, "forbidden", "Access denied");

    /// <summary>A delegated token (<c>act</c>) on a route that declared it refuses them.</summary>
    public static readonly ApiError DelegationRefused = new(StatusCodes.Status403Forbidden, "delegation_refused", "Delegated calls are not allowed here",
        "This route does not accept a token that acts on behalf of its subject (act claim)");

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

    public static ApiError UseDPoPNonce(string description) => new(
        StatusCodes.Status401Unauthorized, DPoPFailure.UseNonce, AuthenticationRequired, description,
        new AuthChallenge(DPoPFailure.UseNonce, description));

    public static readonly ApiError ReplayCacheUnavailable = ApiErrors.Unavailable(
        "DPoP proofs cannot be checked right now", "The DPoP replay cache is unavailable", TimeSpan.FromSeconds(5));

    public static ApiError SigningKeysUnavailable(TimeSpan retryAfter) => ApiErrors.Unavailable(
        "The signing keys cannot be obtained right now", "The token cannot be checked until the issuer's signing keys are available", retryAfter);

    /// <summary>The answer to a failed (or absent) authentication: no credentials, malformed credentials, or a bad token.</summary>
    public static ApiError ForAuthenticationFailure(Exception? failure) => failure switch
    {
        null => Unauthorized,
        MalformedCredentialsException malformed => InvalidRequest(malformed.Description),
        DPoPException { Error: DPoPFailure.InvalidProof } dpop => InvalidDPoPProof(dpop.Description),
        DPoPException { Error: DPoPFailure.UseNonce } dpop => UseDPoPNonce(dpop.Description),
        DPoPException { Error: "invalid_request" } dpop => InvalidRequest(dpop.Description),
        DPoPException dpop => InvalidToken(dpop.Description),
        ReplayCacheUnavailableException => ReplayCacheUnavailable,
        DPoPQuotaExceededException quota => ApiErrors.RateLimited(quota.RetryAfter),
        SigningKeysUnavailableException keys => SigningKeysUnavailable(keys.RetryAfter),
        _ => InvalidToken(TokenFailure.Describe(failure)),
    };
}
