using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace MySecureApi.Infrastructure.Cors;

/// <summary>
/// The CORS policy of docs/http-api.md: <c>*</c> or an exact origin list, <c>WWW-Authenticate</c>, <c>Retry-After</c> and <c>DPoP-Nonce</c> exposed,
/// DPoP allowed, and <c>Vary: Origin</c> on every response once origins are configured.
/// </summary>
public static class CorsSetup
{
    public static IServiceCollection AddApiCors(this IServiceCollection services)
    {
        services.AddOptions<CorsOriginsOptions>().BindConfiguration(CorsOriginsOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CorsOriginsOptions>, CorsOriginsOptionsValidator>();
        services.AddCors();
        services.AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>()
            .Configure<IOptions<CorsOriginsOptions>>((cors, settings) => cors.AddDefaultPolicy(policy =>
            {
                var origins = settings.Value.AllowedOrigins;
                if (origins.Length == 0 || origins.Contains("*"))
                    policy.AllowAnyOrigin();
                else
                    policy.WithOrigins(origins);
                policy.AllowAnyMethod()
                    .WithHeaders("Authorization", "Content-Type", "DPoP")
                    .WithExposedHeaders("WWW-Authenticate", "Retry-After", "DPoP-Nonce");
            }));
        return services;
    }

    /// <summary>
    /// CORS for requests that carry an <c>Origin</c> (ASP.NET's middleware does nothing else for the others, yet costs
    /// each of them an items dictionary), plus <c>Vary: Origin</c> on every response when origins are configured:
    /// ASP.NET adds it only for several origins and only to answers that echo one, yet a shared cache must never hand
    /// one origin's answer to another.
    /// </summary>
    public static IApplicationBuilder UseApiCors(this IApplicationBuilder app)
    {
        if (Hosting.Ablation.Removes(Hosting.Piece.Cors))
            return app;
        var origins = app.ApplicationServices.GetRequiredService<IOptions<CorsOriginsOptions>>().Value.AllowedOrigins;
        if (origins.Length > 0 && !origins.Contains("*"))
            app.Use((context, next) =>
            {
                context.Response.OnStarting(static state => VaryByOrigin((HttpResponse)state), context.Response);
                return next(context);
            });
        return app.UseWhen(static context => context.Request.Headers.Origin.Count > 0, static cors => cors.UseCors());
    }

    private static Task VaryByOrigin(HttpResponse response)
    {
        foreach (var value in response.Headers.Vary)
            foreach (var range in value.AsSpan().Split(','))
                if (value.AsSpan()[range].Trim().Equals("Origin", StringComparison.OrdinalIgnoreCase))
                    return Task.CompletedTask;
        response.Headers.Append(HeaderNames.Vary, "Origin");
        return Task.CompletedTask;
    }
}
