using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MySecureApi.Infrastructure.Auth.DPoP;
using MySecureApi.Infrastructure.Auth.Keys;
using MySecureApi.Infrastructure.Auth.Tokens;
using MySecureApi.Infrastructure.Hosting;

namespace MySecureApi.Infrastructure.Auth;

/// <summary>Auth0 access-token authentication and authorization with every rule of the contract.</summary>
public static class AuthSetup
{
    public static IServiceCollection AddAuth0(this IServiceCollection services)
    {
        services.AddOptions<Auth0Options>().BindConfiguration(Auth0Options.Section).ValidateOnStart();
        services.AddSingleton<IPostConfigureOptions<Auth0Options>, Auth0OptionsSetup>();
        services.AddSingleton<IValidateOptions<Auth0Options>, Auth0OptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new TokenRules(sp.GetRequiredService<IOptions<Auth0Options>>().Value));
        services.AddSingleton<Auth0JwtEvents>();
        services.AddSingleton<DPoPProofValidator>();
        services.AddSingleton<DPoPNonces>();
        services.AddSingleton<VerifiedTokenCache>();
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

    /// <summary>Authentication where a route needs it (<see cref="CachedBearerAuthentication"/>).</summary>
    public static IApplicationBuilder UseApiAuthentication(this IApplicationBuilder app) => CachedBearerAuthentication.Use(app);

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
