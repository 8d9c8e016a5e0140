using Microsoft.IdentityModel.Tokens;

namespace MySecureApi.Infrastructure.Auth.Tokens;

/// <summary>
/// The fixed vocabulary of <c>error_description</c> texts. Nothing from the request is ever part of them,
/// so a forged token cannot inject text into <c>WWW-Authenticate</c> (dotnet/aspnetcore#57356).
/// </summary>
public static class TokenFailure
{
    public const string Expired = "The token has expired";
    public const string NotYetValid = "The token is not valid yet";
    public const string IssuedInFuture = "The token was issued in the future";
    public const string TooOld = "The token is too old";
    public const string InvalidAudience = "The token audience is invalid";
    public const string InvalidIssuer = "The token issuer is invalid";
    public const string InvalidSignature = "The token signature is invalid";
    public const string UnknownKey = "The token signing key is unknown";
    public const string AlgorithmNotAllowed = "The token algorithm is not allowed";
    public const string TypeNotAllowed = "The token type is not allowed";
    public const string UnsupportedCritical = "The token has an unsupported critical header";
    public const string Malformed = "The token is malformed";
    public const string MissingClaim = "The token is missing a required claim";
    public const string UnsupportedBinding = "The token is bound by a confirmation method this API cannot check";
    public const string ActorChainTooDeep = "The token actor chain is too deep";
    public const string MalformedActor = "The token actor claim is malformed";
    public const string EncryptedOrOpaque = "The token is encrypted or opaque";
    public const string IdToken = "The token is an ID token, not an access token";
    public const string Invalid = "The token is invalid";

    public const string NoToken = "The Authorization header has no token";
    public const string MalformedHeader = "The Authorization header is malformed";
    public const string MultipleHeaders = "More than one Authorization header was sent";
    public const string MultipleLocations = "The access token was sent in more than one place";
    public const string UnreadableBody = "The request body could not be read";

    /// <summary>Maps a validation failure to its description; unknown failures get the generic text.</summary>
    public static string Describe(Exception failure) => failure switch
    {
        TokenRuleException rule => rule.Description,
        SecurityTokenExpiredException => Expired,
        SecurityTokenNotYetValidException => NotYetValid,
        SecurityTokenNoExpirationException => MissingClaim,
        SecurityTokenInvalidAudienceException => InvalidAudience,
        SecurityTokenInvalidIssuerException => InvalidIssuer,
        SecurityTokenInvalidAlgorithmException => AlgorithmNotAllowed,
        SecurityTokenSignatureKeyNotFoundException => UnknownKey,
        SecurityTokenInvalidSigningKeyException => UnknownKey,
        SecurityTokenInvalidSignatureException => InvalidSignature,
        SecurityTokenInvalidTypeException => TypeNotAllowed,
        SecurityTokenMalformedException or ArgumentException or FormatException => Malformed,
        _ => Invalid,
    };
}
