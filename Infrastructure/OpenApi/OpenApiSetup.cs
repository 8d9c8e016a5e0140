using FastEndpoints.Swagger;

namespace MySecureApi.Infrastructure.OpenApi;

/// <summary>Swagger UI at <c>/swagger</c> (Development) with a Bearer "Authorize" button.</summary>
public static class OpenApiSetup
{
    public static IServiceCollection AddApiDocs(this IServiceCollection services) =>
        services.SwaggerDocument(o =>
        {
            o.ShortSchemaNames = false;
            o.EnableJWTBearerAuth = true;
            o.DocumentSettings = s =>
            {
                s.DocumentName = "v1";
                s.Title = "MySecureApi";
                s.Version = "v1";
                s.Description = "Auth0-protected API: public, private, scope- and claim-protected routes.";
            };
        });

    public static WebApplication UseApiDocs(this WebApplication app)
    {
        if (app.Environment.IsDevelopment())
            app.UseSwaggerGen();
        return app;
    }
}
