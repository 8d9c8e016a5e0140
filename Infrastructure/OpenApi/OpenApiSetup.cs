using System.Text.Json.Nodes;
using FastEndpoints.Swagger;
using Microsoft.Extensions.Options;
using MySecureApi.Infrastructure.Auth.Access;
using MySecureApi.Infrastructure.Auth.DPoP;
using MySecureApi.Infrastructure.Auth.Settings;
using NJsonSchema.Generation.TypeMappers;
using NSwag.AspNetCore;
using NSwag;

namespace MySecureApi.Infrastructure.OpenApi;

/// <summary>
/// Swagger UI at <c>/swagger</c> with a Bearer "Authorize" button; with <c>AUTH0_SWAGGER_CLIENT_ID</c> also an Auth0
/// authorization-code + PKCE login that asks for a token for this API's audience.
/// </summary>
public static class OpenApiSetup
{
    private const string BearerScheme = "JWTBearerAuth";
    private const string OAuthScheme = "Auth0";
    private const string DPoPScheme = "DPoP";

    public static IServiceCollection AddApiDocs(this IServiceCollection services)
    {
        services.AddOptions<ApiDocsOptions>().BindConfiguration(ApiDocsOptions.Section).ValidateOnStart();
        return services.SwaggerDocument(o =>
        {
            var auth0 = o.Services.GetRequiredService<Auth0Settings>();
            var dpop = o.Services.GetRequiredService<IOptions<DPoPOptions>>().Value;
            var clientId = auth0.SwaggerClientId;
            o.ShortSchemaNames = false;
            o.AutoTagPathSegmentIndex = 0;
            o.EnableJWTBearerAuth = false;
            o.RemoveEmptyRequestSchema = true;
            o.EndpointFilter = ep => auth0.UsesDevelopmentIssuer || ep.EndpointTags?.Contains(DocumentTags.DevelopmentIssuer) != true;
            o.DocumentSettings = s =>
            {
                s.DocumentName = "v1";
                s.Title = "MySecureApi";
                s.Version = "v1";
                s.Description = "Auth0-protected API: public, private, scope- and claim-protected routes. Errors are application/problem+json.";
                // Claim values of any JSON type (POST /dev/token): documented as any value, not as JsonNode's members.
                s.SchemaSettings.TypeMappers.Add(new PrimitiveTypeMapper(typeof(JsonNode), _ => { }));
                var schemes = AddSecuritySchemes(s, auth0, dpop, clientId);
                s.OperationProcessors.Add(new AccessRequirementsProcessor(schemes, schemes.Contains(OAuthScheme) ? OAuthScheme : null));
                s.OperationProcessors.Add(new HeaderNamesProcessor());
            };
        });
    }

    /// <summary>Bearer and DPoP as the DPoP mode accepts them; the Auth0 login when a Swagger client id is configured.</summary>
    private static List<string> AddSecuritySchemes(NSwag.Generation.AspNetCore.AspNetCoreOpenApiDocumentGeneratorSettings s, Auth0Settings auth0, DPoPOptions dpop, string? clientId)
    {
        var schemes = new List<string>();
        if (dpop.AcceptsBearer)
        {
            s.AddAuth(BearerScheme, new OpenApiSecurityScheme
            {
                Type = OpenApiSecuritySchemeType.Http, Scheme = "Bearer", BearerFormat = "JWT",
                Description = auth0.UsesDevelopmentIssuer
                    ? "Paste an access token: from POST /dev/token or `dotnet run -v q -- token`."
                    : "Paste an Auth0 access token for this API's audience.",
            });
            schemes.Add(BearerScheme);
        }
        if (dpop.AcceptsDPoP)
        {
            s.AddAuth(DPoPScheme, new OpenApiSecurityScheme
            {
                Type = OpenApiSecuritySchemeType.Http, Scheme = "DPoP", BearerFormat = "JWT",
                Description = "RFC 9449 proof-of-possession: `Authorization: DPoP <token>` plus a fresh `DPoP` proof header per request "
                              + $"(algorithms: {string.Join(", ", dpop.AcceptedAlgorithms)}). Swagger UI cannot sign proofs; try it with "
                              + "`dotnet run -v q -- token --dpop`, which prints a ready curl line.",
            });
            schemes.Add(DPoPScheme);
        }
        if (clientId is not null && !auth0.UsesDevelopmentIssuer)
        {
            s.AddAuth(OAuthScheme, new OpenApiSecurityScheme
            {
                Type = OpenApiSecuritySchemeType.OAuth2,
                Description = "Log in with Auth0 (authorization code + PKCE).",
                Flows = new OpenApiOAuthFlows
                {
                    AuthorizationCode = new OpenApiOAuthFlow
                    {
                        AuthorizationUrl = $"{auth0.Issuer}authorize",
                        TokenUrl = $"{auth0.Issuer}oauth/token",
                        Scopes = new Dictionary<string, string>(Allow.Descriptions) { ["openid"] = "OpenID Connect" },
                    },
                },
            });
            schemes.Add(OAuthScheme);
        }
        return schemes;
    }

    public static WebApplication UseApiDocs(this WebApplication app)
    {
        var settings = app.Services.GetRequiredService<IOptions<ApiDocsOptions>>().Value;
        if (!(settings.Enabled ?? app.Environment.IsDevelopment()))
            return app;

        var auth0 = app.Services.GetRequiredService<Auth0Settings>();
        var clientId = auth0.SwaggerClientId;
        if (clientId is not null && !auth0.UsesDevelopmentIssuer)
            app.UseSwaggerUiWithoutRealm();
        app.UseSwaggerGen(config: c => c.PostProcess = ApiDocumentCleanup.Apply, uiConfig: ui =>
        {
            if (clientId is null || auth0.UsesDevelopmentIssuer)
                return;
            // A public client, as an Auth0 single-page application is: no secret (NSwag's default would pre-fill the
            // literal "client_secret", which Swagger UI then posts to the token endpoint), and no realm (an empty one
            // is then taken out of the page: SwaggerUiRealm).
            ui.OAuth2Client = new OAuth2ClientSettings
            {
                ClientId = clientId, ClientSecret = "", Realm = "", AppName = "MySecureApi", UsePkceWithAuthorizationCodeGrant = true,
            };
            ui.OAuth2Client.AdditionalQueryStringParameters["audience"] = auth0.Audience;
            foreach (var scope in Allow.Descriptions.Keys.Prepend("openid"))
                ui.OAuth2Client.Scopes.Add(scope);
        });
        return app;
    }
}
