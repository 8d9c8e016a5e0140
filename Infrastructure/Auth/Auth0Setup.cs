using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection.Extensions;
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
        services.AddSingleton(sp => new TokenRules(sp.GetRequiredService<IOptions<Auth0Options>>().Value));
        services.AddSingleton<Auth0JwtEvents>();
        services.AddSingleton<DPoP.DPoPProofValidator>();
        services.AddSingleton<VerifiedTokenCache>();
        services.TryAddSingleton<DPoP.IDPoPReplayCache, DPoP.MemoryDPoPReplayCache>();
        services.AddSingleton<IConfigureOptions<JwtBearerOptions>, JwtBearerOptionsSetup>();
        services.AddSingleton<SigningKeySource>();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddSingleton<IPostConfigureOptions<JwtBearerOptions>, SigningKeySourceSetup>();
        services.AddHostedService<SigningKeyWarmUp>();
        services.AddAuthorization();
        return services;
    }
}

/// <summary>Points JwtBearer at the tenant and closes every default that is too lax for this API (see STACK-NOTES).</summary>
internal sealed class JwtBearerOptionsSetup(
    IOptions<Auth0Options> auth0, TokenRules rules, TimeProvider time, SigningKeySource keys, VerifiedTokenCache tokens)
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
        options.ConfigurationManager = keys;
        options.BackchannelTimeout = TimeSpan.FromSeconds(tenant.KeySet.BackchannelTimeoutSeconds);
        options.Audience = tenant.Audience;
        options.MapInboundClaims = false;
        options.IncludeErrorDetails = false;
        options.SaveToken = false;
        options.EventsType = typeof(Auth0JwtEvents);
        options.TimeProvider = time;
        options.TokenHandlers.Clear();
        options.TokenHandlers.Add(tokens);
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
}

/// <summary>
/// Gives <see cref="SigningKeySource"/> (JwtBearer's configuration manager) its source once every Configure has run:
/// the tenant's metadata over the (test-replaceable) backchannel handler, or the development issuer's key directly.
/// </summary>
internal sealed class SigningKeySourceSetup(SigningKeySource source, IOptions<Auth0Options> auth0, IServiceProvider services)
    : IPostConfigureOptions<JwtBearerOptions>
{
    public void PostConfigure(string? name, JwtBearerOptions options)
    {
        if (name != JwtBearerDefaults.AuthenticationScheme)
            return;
        var tenant = auth0.Value;
        if (tenant.UsesDevelopmentIssuer)
        {
            var configuration = new OpenIdConnectConfiguration { Issuer = tenant.Issuer };
            configuration.SigningKeys.Add(services.GetRequiredService<DevSigningKey>().Key);
            source.UseStatic(configuration);
        }
        else
        {
            var client = new HttpClient(options.BackchannelHttpHandler ?? new SocketsHttpHandler(), disposeHandler: false)
            {
                Timeout = options.BackchannelTimeout,
            };
            source.Attach(new KeySetFetcher(client, tenant.Issuer, options.BackchannelTimeout));
        }
    }
}

/// <summary>Fetches the key set in the background as the app starts; never delays or fails startup.</summary>
internal sealed class SigningKeyWarmUp(IOptionsMonitor<JwtBearerOptions> bearer, SigningKeySource source) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = bearer.Get(JwtBearerDefaults.AuthenticationScheme);
        source.WarmUp();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
