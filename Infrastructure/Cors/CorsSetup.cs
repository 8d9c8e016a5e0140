using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace MySecureApi.Infrastructure.Cors;

/// <summary>Origins allowed to call the API from a browser; empty means any origin (<c>*</c>).</summary>
public sealed class CorsSettings
{
    public const string Section = "Cors";
    public const string OriginVariable = "ALLOWED_ORIGIN";

    public string[] AllowedOrigins { get; set; } = [];
}

/// <summary>
/// The contract's CORS policy: <c>*</c> or an exact origin list, <c>WWW-Authenticate</c> and <c>Retry-After</c> exposed,
/// DPoP allowed, and <c>Vary: Origin</c> on every response once origins are configured.
/// </summary>
public static class CorsSetup
{
    public static IServiceCollection AddApiCors(this IServiceCollection services)
    {
        services.AddOptions<CorsSettings>().Configure<IConfiguration>((settings, configuration) =>
        {
            configuration.GetSection(CorsSettings.Section).Bind(settings);
            if (configuration[CorsSettings.OriginVariable] is { } variable)
                settings.AllowedOrigins = variable.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        });
        services.AddCors();
        services.AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>()
            .Configure<IOptions<CorsSettings>>((cors, settings) => cors.AddDefaultPolicy(policy =>
            {
                var origins = settings.Value.AllowedOrigins;
                if (origins.Length == 0 || origins.Contains("*"))
                    policy.AllowAnyOrigin();
                else
                    policy.WithOrigins(origins);
                policy.AllowAnyMethod()
                    .WithHeaders("Authorization", "Content-Type", "DPoP")
                    .WithExposedHeaders("WWW-Authenticate", "Retry-After");
            }));
        return services;
    }

    /// <summary>
    /// CORS, plus <c>Vary: Origin</c> on every response when origins are configured: ASP.NET adds it only for several
    /// origins and only to answers that echo one, yet a shared cache must never hand one origin's answer to another.
    /// </summary>
    public static IApplicationBuilder UseApiCors(this IApplicationBuilder app)
    {
        var origins = app.ApplicationServices.GetRequiredService<IOptions<CorsSettings>>().Value.AllowedOrigins;
        if (origins.Length > 0 && !origins.Contains("*"))
            app.Use((context, next) =>
            {
                context.Response.OnStarting(static state => VaryByOrigin((HttpResponse)state), context.Response);
                return next(context);
            });
        return app.UseCors();
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
