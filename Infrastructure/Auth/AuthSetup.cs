using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MySecureApi.Infrastructure.Auth.Access;
using MySecureApi.Infrastructure.Auth.Challenges;
using MySecureApi.Infrastructure.Auth.DPoP;
using MySecureApi.Infrastructure.Auth.Keys;
using MySecureApi.Infrastructure.Auth.Mtls;
using MySecureApi.Infrastructure.Auth.Settings;
using MySecureApi.Infrastructure.Auth.Tokens;
using MySecureApi.Infrastructure.Hosting;

namespace MySecureApi.Infrastructure.Auth;

/// <summary>
/// Wires Auth together: the settings as bound and what they resolve to, the rooms' services (Keys, DPoP, Mtls, Tokens,
/// Challenges, Access), JwtBearer and ASP.NET's authorization. Only <c>Program</c> calls it.
/// </summary>
public static class AuthSetup
{
    public static IServiceCollection AddAuth0(this IServiceCollection services)
    {
        services.AddOptions<Auth0Options>().BindConfiguration(Auth0Options.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<Auth0Options>, Auth0OptionsValidator>();
        services.AddSingleton<IStartupBannerSection, TenantBannerSection>();
        services.AddSingleton(sp => Auth0SettingsResolver.Resolve(sp.GetRequiredService<IOptions<Auth0Options>>().Value,
            sp.GetRequiredService<IHostEnvironment>().IsDevelopment(), HostingSetup.ConfiguredPort(sp.GetRequiredService<IConfiguration>())));
        services.AddOptions<DPoPOptions>().BindConfiguration(DPoPOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DPoPOptions>, DPoPOptionsValidator>();
        services.AddOptions<MtlsOptions>().BindConfiguration(MtlsOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<MtlsOptions>, MtlsOptionsValidator>();
        services.AddSingleton<IConfigureOptions<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>, KestrelClientCertificates>();
        services.AddOptions<TokenCacheOptions>().BindConfiguration(TokenCacheOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TokenCacheOptions>, TokenCacheOptionsValidator>();
        services.AddOptions<KeySetOptions>().BindConfiguration(KeySetOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<KeySetOptions>, KeySetOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<TokenRules>();
        services.AddSingleton(sp =>
        {
            var events = ActivatorUtilities.CreateInstance<Auth0JwtEvents>(sp);
            events.OnChallenge = AuthenticationChallenge.WriteAsync;
            return events;
        });
        services.AddSingleton<DPoPProofValidator>();
        services.AddSingleton<DPoPNonces>();
        services.AddSingleton<VerifiedTokens>();
        services.AddSingleton<Auth0TokenHandler>();
        services.TryAddSingleton<IDPoPReplayCache, MemoryDPoPReplayCache>();
        services.AddSingleton<IConfigureOptions<JwtBearerOptions>, JwtBearerOptionsSetup>();
        services.AddSingleton<TrustedIssuers>();
        services.AddSingleton<ResourceMetadata>();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddSingleton<IPostConfigureOptions<JwtBearerOptions>, SigningKeySourceSetup>();
        services.AddHostedService<SigningKeyWarmUp>();
        services.AddHealthChecks().AddCheck<SigningKeysHealthCheck>(SigningKeysHealthCheck.Name, tags: [HealthTags.Ready]);
        services.AddAuthorization(options => options.AddClaimRules());
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, AuthorizationResultHandler>();
        services.Replace(ServiceDescriptor.Singleton<IPolicyEvaluator, SharedPolicyEvaluator>());
        return services;
    }

    /// <summary>
    /// The client certificate a trusted proxy forwards (<see cref="ForwardedClientCertificate"/>): before the
    /// forwarded-headers middleware, while the peer is still the proxy. Nothing at all while mTLS or proxies are off.
    /// </summary>
    public static IApplicationBuilder UseForwardedClientCertificates(this IApplicationBuilder app) => ForwardedClientCertificate.Use(app);

    /// <summary>Authentication where a route needs it: not where it allows anonymous access (<see cref="CachedBearerAuthentication"/>).</summary>
    public static IApplicationBuilder UseApiAuthentication(this IApplicationBuilder app) => CachedBearerAuthentication.Use(app, AnonymousAccess.IsAllowed);

    /// <summary>
    /// ASP.NET's authorization middleware for every route except those that allow anonymous access and declare no
    /// rule: there it would decide nothing, yet cost the request an items dictionary.
    /// </summary>
    public static IApplicationBuilder UseApiAuthorization(this IApplicationBuilder app)
    {
        // What UseAuthorization() records, so that WebApplication does not add the middleware a second time.
        app.Properties[AuthorizationMiddlewareSetKey] = true;
        if (Ablation.Removes(Piece.Authorization))
            return app;
        return app.UseWhen(static context => !AnonymousAccess.IsAllowed(context) || context.GetEndpoint()!.Metadata.GetMetadata<IAuthorizeData>() is not null,
            static authorization => authorization.UseAuthorization());
    }

    private const string AuthorizationMiddlewareSetKey = "__AuthorizationMiddlewareSet";
}
