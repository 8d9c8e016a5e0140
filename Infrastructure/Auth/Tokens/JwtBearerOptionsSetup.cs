using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using MySecureApi.Infrastructure.Auth.Keys;
using MySecureApi.Infrastructure.Auth.Settings;

namespace MySecureApi.Infrastructure.Auth.Tokens;

/// <summary>Points JwtBearer at the tenant's issuers and audiences and closes every default that is too lax for this API (docs/tokens-and-dpop.md).</summary>
internal sealed class JwtBearerOptionsSetup(
    Auth0Settings tenant, IOptions<KeySetOptions> keySet, TokenRules rules, TimeProvider time, Auth0TokenHandler tokens)
    : IConfigureNamedOptions<JwtBearerOptions>
{
    public void Configure(string? name, JwtBearerOptions options)
    {
        if (name == JwtBearerDefaults.AuthenticationScheme)
            Configure(options);
    }

    public void Configure(JwtBearerOptions options)
    {
        // No configuration manager: the token handler picks the token's issuer and hands its keys to validation
        // (Auth0TokenHandler), so that an untrusted `iss` is refused before anything is fetched.
        options.BackchannelTimeout = TimeSpan.FromSeconds(keySet.Value.BackchannelTimeoutSeconds);
        options.MapInboundClaims = false;
        options.IncludeErrorDetails = false;
        options.SaveToken = false;
        options.EventsType = typeof(Auth0JwtEvents);
        options.TimeProvider = time;
        options.TokenHandlers.Clear();
        options.TokenHandlers.Add(tokens);
        options.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuers = tenant.Issuers,
            ValidAudiences = tenant.Audiences,
            IgnoreTrailingSlashWhenValidatingAudience = false,
            ValidAlgorithms = tenant.Algorithms,
            ClockSkew = tenant.ClockTolerance,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            TryAllIssuerSigningKeys = false,
            ValidateSignatureLast = true,
            TypeValidator = rules.ValidateHeader,
            NameClaimType = ClaimNames.Subject,
            RoleClaimType = ClaimNames.Role,
        };
    }
}
