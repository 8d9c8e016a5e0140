using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using MySecureApi.Infrastructure.Auth.Challenges;
using MySecureApi.Infrastructure.Errors;
using MySecureApi.Infrastructure.Hosting;
using MySecureApi.Infrastructure.RateLimiting;

namespace MySecureApi.Features.Mcp;

/// <summary>
/// <c>/mcp</c>: the messages as MCP tools for agents (Streamable HTTP, stateless, the official C# SDK), behind the same
/// Auth0 tokens. On with the development issuer or with <c>Mcp:Enabled</c>; off, nothing is captured or mapped (and with
/// <c>Mcp:Enabled=false</c> nothing is even registered).
/// </summary>
internal static class McpSetup
{
    public static IServiceCollection AddMcpEndpoint(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<McpOptions>().BindConfiguration(McpOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<McpOptions>, McpOptionsValidator>();
        if (configuration.GetValue<bool?>($"{McpOptions.Section}:{nameof(McpOptions.Enabled)}") == false)
            return services;
        services.AddSingleton<McpResource>();
        services.AddSingleton<InProcessPipeline>();
        services.AddSingleton<MessageTools>();
        services.AddSingleton<IStartupBannerSection, McpBannerSection>();
        // Tokens for the MCP resource are valid tokens of this API; /mcp then insists on that audience (McpGate).
        services.AddSingleton<IPostConfigureOptions<JwtBearerOptions>>(sp => new PostConfigureOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, o =>
        {
            if (sp.GetRequiredService<McpResource>() is { Enabled: true } mcp)
                o.TokenValidationParameters.ValidAudiences = [.. o.TokenValidationParameters.ValidAudiences ?? [], mcp.Value];
        }));
        services.AddMcpServer(server =>
            {
                server.ServerInfo = new Implementation { Name = "MySecureApi", Version = typeof(McpSetup).Assembly.GetName().Version?.ToString(3) ?? "1.0.0" };
                server.ServerInstructions = "Messages stored by MySecureApi. Each tool runs the HTTP route it names, with your token's permissions.";
            })
            .WithHttpTransport(http =>
            {
                http.Stateless = true;
                // Stateless: a fresh server per HTTP request, so the tools offered are those this request's token permits.
                http.ConfigureSessionOptions = (context, options, _) =>
                {
                    options.ToolCollection = [.. context.RequestServices.GetRequiredService<MessageTools>().For(context)];
                    return Task.CompletedTask;
                };
            });
        return services;
    }

    /// <summary>
    /// After the per-subject limit: where a tool call's route starts (its routing, error answers and write limit first),
    /// so a call is counted once by the IP and subject limits, as the <c>/mcp</c> request that carries it.
    /// </summary>
    public static IApplicationBuilder UseMcpToolCalls(this IApplicationBuilder app) =>
        !Enabled(app.ApplicationServices) ? app : InProcessPipeline.Capture(app, first => first.UseErrorResponder().UseWriteRateLimit());

    public static IEndpointRouteBuilder MapMcpEndpoint(this IEndpointRouteBuilder app)
    {
        if (!Enabled(app.ServiceProvider))
            return app;
        var tools = app.ServiceProvider.GetRequiredService<MessageTools>();
        var resource = app.ServiceProvider.GetRequiredService<McpResource>();
        app.MapMcp(McpResource.Path)
            .RequireAuthorization()
            .WithMetadata(new NotAWrite(), new ResourceMetadataLocation(GetProtectedResource.Endpoint.Path))
            .Add(endpoint => endpoint.RequestDelegate = McpGate.Around(endpoint.RequestDelegate!, tools, resource));
        return app;
    }

    private static bool Enabled(IServiceProvider services) => services.GetService<McpResource>()?.Enabled == true;
}
