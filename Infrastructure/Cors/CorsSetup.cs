using Microsoft.Extensions.Options;

namespace MySecureApi.Infrastructure.Cors;

/// <summary>Origins allowed to call the API from a browser; empty means any origin (<c>*</c>).</summary>
public sealed class CorsSettings
{
    public const string Section = "Cors";
    public const string OriginVariable = "ALLOWED_ORIGIN";

    public string[] AllowedOrigins { get; set; } = [];
}

/// <summary>The contract's CORS policy: <c>*</c> or an exact origin list, <c>WWW-Authenticate</c> exposed, DPoP allowed.</summary>
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
}
