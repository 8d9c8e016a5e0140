using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using MySecureApi.Infrastructure.Auth.DPoP;
using MySecureApi.Infrastructure.Auth.Mtls;
using MySecureApi.Infrastructure.Auth.Settings;
using MySecureApi.Infrastructure.Telemetry;

namespace MySecureApi.Infrastructure.Auth.Tokens;

/// <summary>
/// Reads the credentials (RFC 6750, RFC 9449) and checks the token's binding: to a client certificate (RFC 8705) and
/// to a DPoP key with its proof; a token bound both ways must satisfy both. The answer to a failure (the
/// challenge) is not written here: Auth's set-up plugs in <c>OnChallenge</c> from the Challenges room.
/// A Bearer token already in the verified-token cache rarely comes here (<see cref="CachedBearerAuthentication"/>).
/// </summary>
internal sealed class Auth0JwtEvents(Auth0Settings auth0, IOptions<DPoPOptions> dpopOptions, IOptions<MtlsOptions> mtlsOptions,
    DPoPProofValidator dpop, DPoPNonces nonces)
    : JwtBearerEvents
{
    private const string CredentialsItem = "MySecureApi.Credentials";

    public override async Task MessageReceived(MessageReceivedContext context)
    {
        try
        {
            var credentials = await CredentialsReader.ReadAsync(context.Request, auth0, dpopOptions.Value);
            if (credentials is null)
            {
                context.NoResult();
                return;
            }
            ApiMetrics.TokenChecked();
            // RFC 9449 §8: every answer to a DPoP request, success or failure, carries the nonce for the next proof.
            if (nonces.Enabled && credentials.Scheme == CredentialsReader.DPoPScheme)
                context.Response.Headers[DPoPNonces.Header] = nonces.Current();
            context.HttpContext.Items[CredentialsItem] = credentials;
            context.Token = credentials.Token.ToString();
        }
        catch (MalformedCredentialsException malformed)
        {
            context.Fail(malformed);
        }
    }

    public override async Task TokenValidated(TokenValidatedContext context)
    {
        var token = (JsonWebToken)context.SecurityToken;
        // The certificate first: it costs a hash, and a proof refused after it would have used up its jti for nothing.
        var mtls = mtlsOptions.Value;
        if (mtls.AcceptsBound && CertificateBinding.BoundThumbprint(token) is { } certificate
            && CertificateBinding.Check(context.HttpContext, certificate, mtls) is { } unbound)
        {
            context.Fail(new TokenRuleException(unbound));
            return;
        }
        try
        {
            var credentials = (Credentials)context.HttpContext.Items[CredentialsItem]!;
            if (credentials.Scheme == CredentialsReader.DPoPScheme)
                await dpop.ValidateAsync(context.Request, credentials.Proof!, token);
            else if (dpopOptions.Value.AcceptsDPoP && DPoPProofValidator.BoundThumbprint(token) is not null)
                throw new DPoPException("invalid_token", DPoPFailure.BoundTokenAsBearer);
        }
        catch (Exception failure) when (failure is DPoPException or ReplayCacheUnavailableException or DPoPQuotaExceededException)
        {
            context.Fail(failure);
            return;
        }
        ApiMetrics.Authenticated(context.Principal is { } user ? ActorChain.Current(user) : null);
    }

    /// <summary>
    /// Whatever else is thrown while reading credentials, checking a proof or validating a token is still an
    /// authentication failure answered from the fixed vocabulary; JwtBearer would rethrow it (a 500) otherwise.
    /// JwtBearer has already logged it.
    /// </summary>
    public override Task AuthenticationFailed(AuthenticationFailedContext context)
    {
        context.Fail(context.Exception);
        return Task.CompletedTask;
    }
}
