using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using MySecureApi.Infrastructure.Auth.Keys;
using MySecureApi.Infrastructure.Auth.Settings;
using MySecureApi.Infrastructure.Telemetry;

namespace MySecureApi.Infrastructure.Auth.Tokens;

/// <summary>
/// JwtBearer's token handler. A token in the <see cref="VerifiedTokens"/> cache is answered from it (with the checks
/// time can change). Otherwise: what kind of token it is, its issuer (by its <c>iss</c>, among the trusted ones, before
/// anything is fetched), then full validation with that issuer's keys (Microsoft.IdentityModel plus
/// <see cref="TokenRules"/>); a valid token is then cached. Failures are never cached.
/// </summary>
internal sealed class Auth0TokenHandler(Auth0Settings auth0, TokenRules rules, TrustedIssuers issuers, VerifiedTokens verified,
    ILogger<Auth0TokenHandler> logger) : TokenHandler
{
    private readonly JsonWebTokenHandler inner = new() { MapInboundClaims = false };

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        VerifiedTokens.Key? key = verified.Enabled ? VerifiedTokens.KeyOf(token) : null;
        if (key is { } cached && verified.Find(cached) is { } hit)
        {
            ApiMetrics.TokenCache(hit: true);
            return verified.Lapsed(hit) is { } lapsed
                ? new TokenValidationResult { IsValid = false, Exception = lapsed }
                : new TokenValidationResult { IsValid = true, SecurityToken = new JsonWebToken(token), ClaimsIdentity = hit.Principal.Identities.First().Clone(), Issuer = hit.Source.Issuer };
        }

        var selected = await SelectIssuerAsync(token);
        if (selected is not { Token: { } jwt, Source: { } source, Keys: { } signingKeys })
            return Invalid(selected.Failure!);
        validationParameters.IssuerSigningKeys = signingKeys;
        var result = await inner.ValidateTokenAsync(jwt, validationParameters);
        if (!result.IsValid)
        {
            if (result.Exception is SecurityTokenSignatureKeyNotFoundException)
                source.RequestRefresh();
            return result;
        }
        PayloadFacts facts;
        try
        {
            facts = rules.ValidatePayload(jwt);
        }
        catch (TokenRuleException failure)
        {
            return Invalid(failure);
        }
        var identity = result.ClaimsIdentity;
        ClaimValues.MarkArrayElements(identity, facts.ArrayClaims);
        ScopePermissions.RemoveLookalikes(identity);
        ScopePermissions.Add(identity);
        if (facts.Actors is { } actors)
            ActorChain.Attach(identity, actors);
        if (key is not { } fresh)
            return result;
        ApiMetrics.TokenCache(hit: false);
        verified.Add(fresh, identity, source, signingKeys, jwt, facts);
        return result;
    }

    private readonly record struct Selection(JsonWebToken? Token, SigningKeySource? Source, ICollection<SecurityKey>? Keys, Exception? Failure = null);

    /// <summary>
    /// The parsed token, its issuer and that issuer's current keys; or why the token cannot be validated: not a JWS,
    /// an ID token, an issuer that is not trusted (nothing fetched), or an issuer without keys yet (503).
    /// </summary>
    private async Task<Selection> SelectIssuerAsync(string token)
    {
        if (token.Length > inner.MaximumTokenSizeInBytes)
            return new Selection(null, null, null, new TokenRuleException(TokenFailure.Malformed));
        if (TokenKind.NotAJws(token) is { } kind)
            return Mistaken(kind);
        JsonWebToken jwt;
        try
        {
            jwt = new JsonWebToken(token);
            if (TokenKind.IsIdToken(jwt))
                return Mistaken(TokenFailure.IdToken);
            if ((Hosting.Ablation.Removes(Hosting.Piece.IssuerSelection) ? issuers.All[0] : issuers.Find(jwt.Issuer)) is not { } source)
                return new Selection(null, null, null, new SecurityTokenInvalidIssuerException(TokenFailure.InvalidIssuer));
            return await source.GetConfigurationAsync(CancellationToken.None) is { } configuration
                ? new Selection(jwt, source, configuration.SigningKeys)
                : new Selection(null, null, null, new SigningKeysUnavailableException(source.RetryAfter));
        }
        catch (Exception e) when (e is ArgumentException or FormatException or System.Text.Json.JsonException)
        {
            return new Selection(null, null, null, new SecurityTokenMalformedException(TokenFailure.Malformed));
        }
    }

    private Selection Mistaken(string description)
    {
        logger.LogInformation("Refused a token: {Kind}; the client should " + TokenKind.OperatorHint, description, auth0.Audience);
        return new Selection(null, null, null, new TokenRuleException(description));
    }

    private static TokenValidationResult Invalid(Exception failure) => new() { IsValid = false, Exception = failure };
}
