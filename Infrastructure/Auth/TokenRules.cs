using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MySecureApi.Infrastructure.Auth;

/// <summary>
/// The checks of the contract that Microsoft.IdentityModel does not make on its own: <c>typ</c> (case-insensitive),
/// <c>crit</c>, <c>kid</c>, NumericDate types, a future <c>iat</c>, <c>sub</c>, the RFC 9068 profile and <c>maxTokenAge</c>.
/// </summary>
internal sealed class TokenRules(Auth0Options options, TimeProvider time)
{
    private static readonly string[] ProfileTypes = ["at+jwt", "application/at+jwt"];
    private static readonly string[] NumericDateClaims = [JwtRegisteredClaimNames.Exp, JwtRegisteredClaimNames.Nbf, JwtRegisteredClaimNames.Iat];
    private static readonly string[] ProfileClaims = [JwtRegisteredClaimNames.Iat, "client_id", JwtRegisteredClaimNames.Jti];

    /// <summary>
    /// Header rules; plugged in as <see cref="TokenValidationParameters.TypeValidator"/>, which runs before the
    /// signature (<see cref="TokenValidationParameters.ValidateSignatureLast"/>) so a disallowed algorithm is named as such.
    /// </summary>
    public string ValidateHeader(string? type, SecurityToken token, TokenValidationParameters parameters)
    {
        var jwt = (JsonWebToken)token;
        if (!options.Algorithms.Contains(jwt.Alg, StringComparer.Ordinal))
            throw new TokenRuleException(TokenFailure.AlgorithmNotAllowed);
        if (jwt.TryGetHeaderValue<object>("crit", out _))
            throw new TokenRuleException(TokenFailure.UnsupportedCritical);
        if (string.IsNullOrEmpty(jwt.Kid))
            throw new TokenRuleException(TokenFailure.UnknownKey);
        if (!IsAllowedType(type))
            throw new TokenRuleException(TokenFailure.TypeNotAllowed);
        return type ?? "";
    }

    private bool IsAllowedType(string? type)
    {
        if (string.IsNullOrEmpty(type))
            return !options.StrictAccessTokenProfile;
        if (ProfileTypes.Contains(type, StringComparer.OrdinalIgnoreCase))
            return true;
        return !options.StrictAccessTokenProfile && type.Equals("JWT", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Payload rules, run after the signature, issuer, audience and lifetime have been validated.</summary>
    public void ValidatePayload(JsonWebToken jwt)
    {
        foreach (var name in NumericDateClaims)
            if (jwt.TryGetClaim(name, out var claim) && !IsNumber(claim))
                throw new TokenRuleException(TokenFailure.Malformed);

        if (!jwt.TryGetClaim(JwtRegisteredClaimNames.Sub, out var sub) || sub.ValueType != ClaimValueTypes.String || sub.Value.Length == 0)
            throw new TokenRuleException(TokenFailure.MissingClaim);

        if (options.StrictAccessTokenProfile && ProfileClaims.Any(name => !jwt.TryGetClaim(name, out _)))
            throw new TokenRuleException(TokenFailure.MissingClaim);

        var hasIat = jwt.TryGetClaim(JwtRegisteredClaimNames.Iat, out _);
        var now = time.GetUtcNow().UtcDateTime;
        if (hasIat && jwt.IssuedAt > now + options.ClockTolerance)
            throw new TokenRuleException(TokenFailure.IssuedInFuture);

        if (options.MaxTokenAgeSeconds is { } maxAge)
        {
            if (!hasIat)
                throw new TokenRuleException(TokenFailure.MissingClaim);
            if (jwt.IssuedAt + TimeSpan.FromSeconds(maxAge) + options.ClockTolerance < now)
                throw new TokenRuleException(TokenFailure.TooOld);
        }
    }

    private static bool IsNumber(Claim claim) => claim.ValueType is ClaimValueTypes.Integer or ClaimValueTypes.Integer32
        or ClaimValueTypes.Integer64 or ClaimValueTypes.UInteger32 or ClaimValueTypes.UInteger64 or ClaimValueTypes.Double;
}
