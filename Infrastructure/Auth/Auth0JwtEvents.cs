using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using MySecureApi.Infrastructure.Errors;

namespace MySecureApi.Infrastructure.Auth;

/// <summary>Reads the token per RFC 6750, applies <see cref="TokenRules"/> and writes the contract's challenges.</summary>
internal sealed class Auth0JwtEvents(IOptions<Auth0Options> auth0, TokenRules rules, SigningKeySource keys) : JwtBearerEvents
{
    public override async Task MessageReceived(MessageReceivedContext context)
    {
        try
        {
            var token = await BearerTokenReader.ReadAsync(context.Request, auth0.Value);
            if (token is null)
                context.NoResult();
            else
                context.Token = token;
        }
        catch (MalformedCredentialsException malformed)
        {
            context.Fail(malformed);
        }
    }

    public override Task TokenValidated(TokenValidatedContext context)
    {
        try
        {
            rules.ValidatePayload((JsonWebToken)context.SecurityToken);
        }
        catch (TokenRuleException failure)
        {
            context.Fail(failure);
        }
        return Task.CompletedTask;
    }

    public override Task Challenge(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        var error = context.AuthenticateFailure is SecurityTokenSignatureKeyNotFoundException && !keys.HasKeys
            ? ApiErrors.SigningKeysUnavailable(keys.RetryAfter)
            : ApiErrors.ForAuthenticationFailure(context.AuthenticateFailure);
        AuthMetrics.Failure(error.Code, error.Detail);
        return ErrorResponder.WriteAsync(context.HttpContext, error);
    }
}
