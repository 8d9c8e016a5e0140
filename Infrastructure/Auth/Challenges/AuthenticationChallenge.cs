using Microsoft.AspNetCore.Authentication.JwtBearer;
using MySecureApi.Infrastructure.Errors;
using MySecureApi.Infrastructure.Telemetry;

namespace MySecureApi.Infrastructure.Auth.Challenges;

/// <summary>JwtBearer's challenge: the answer to a failed (or absent) authentication, from the fixed vocabulary of <see cref="AuthErrors"/>.</summary>
public static class AuthenticationChallenge
{
    public static Task WriteAsync(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        var error = AuthErrors.ForAuthenticationFailure(context.AuthenticateFailure);
        ApiMetrics.Failure(error.Code, error.Detail);
        return ErrorResponder.WriteAsync(context.HttpContext, error);
    }
}
