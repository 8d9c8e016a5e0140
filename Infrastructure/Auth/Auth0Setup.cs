using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using MySecureApi.Infrastructure.DevIssuer;

namespace MySecureApi.Infrastructure.Auth;

/// <summary>Auth0 access-token authentication with every rule of the contract.</summary>
public static class Auth0Setup
{
    public static IServiceCollection AddAuth0(this IServiceCollection services)
    {
        services.AddOptions<Auth0Options>().ValidateOnStart();
        services.AddSingleton<IConfigureOptions<Auth0Options>, Auth0OptionsSetup>();
        services.AddSingleton<IValidateOptions<Auth0Options>, Auth0OptionsValidator>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new TokenRules(sp.GetRequiredService<IOptions<Auth0Options>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<Auth0JwtEvents>();
        services.AddSingleton<IConfigureOptions<JwtBearerOptions>, JwtBearerOptionsSetup>();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddAuthorization();
        return services;
    }
}

/// <summary>Points JwtBearer at the tenant and closes every default that is too lax for this API (see STACK-NOTES).</summary>
internal sealed class JwtBearerOptionsSetup(IOptions<Auth0Options> auth0, TokenRules rules, TimeProvider time, IServiceProvider services)
    : IConfigureNamedOptions<JwtBearerOptions>
{
    public void Configure(string? name, JwtBearerOptions options)
    {
        if (name == JwtBearerDefaults.AuthenticationScheme)
            Configure(options);
    }

    public void Configure(JwtBearerOptions options)
    {
        var tenant = auth0.Value;
        if (tenant.UsesDevelopmentIssuer)
            options.Configuration = DevelopmentConfiguration(tenant);
        else
            options.Authority = tenant.Issuer;
        options.Audience = tenant.Audience;
        options.MapInboundClaims = false;
        options.IncludeErrorDetails = false;
        options.EventsType = typeof(Auth0JwtEvents);
        options.TimeProvider = time;
        options.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = tenant.Issuer,
            ValidAudience = tenant.Audience,
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

    /// <summary>The development issuer's metadata, given directly instead of fetched: only the key source differs.</summary>
    private OpenIdConnectConfiguration DevelopmentConfiguration(Auth0Options tenant)
    {
        var configuration = new OpenIdConnectConfiguration { Issuer = tenant.Issuer };
        configuration.SigningKeys.Add(services.GetRequiredService<DevSigningKey>().Key);
        return configuration;
    }
}
