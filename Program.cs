using FastEndpoints;
using MySecureApi.Features.DevIssuer;
using MySecureApi.Features.Mcp;
using MySecureApi.Features.Messages;
using MySecureApi.Infrastructure.Auth;
using MySecureApi.Infrastructure.Cors;
using MySecureApi.Infrastructure.Errors;
using MySecureApi.Infrastructure.Hosting;
using MySecureApi.Infrastructure.OpenApi;
using MySecureApi.Infrastructure.RateLimiting;
using MySecureApi.Infrastructure.Redis;
using MySecureApi.Infrastructure.Telemetry;

try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.UseShippedSettingsFiles().AddDotEnvFile().MapSeedVariables().UsePortVariable().ReportStartupErrorsInOneLine().AddApiTelemetry();
    builder.Services
        .AddAuth0()
        .AddDevIssuer()
        .AddRedis()
        .AddApiRateLimiting()
        .AddApiCors()
        .AddTrustedForwardedHeaders()
        .AddMessages()
        .AddMcpEndpoint(builder.Configuration)
        .AddFastEndpoints(Ablation.Discovery)
        .AddApiDocs()
        .AddGracefulShutdown()
        .AddStartupBanner();

    var app = builder.Build();
    if (args is [TokenCommand.Name, ..])
        return TokenCommand.Run(args[1..], app.Services, Console.Out, Console.Error);
    if (args is ["migrate"])
        return await MessagesSetup.MigrateAsync(app.Services, Console.Out);

    app.UseMetricsEndpoint();
    app.UseForwardedClientCertificates();
    app.UseTrustedForwardedHeaders();
    app.UseResponseHygiene();
    app.UseErrorResponder();
    app.UseApiCors();
    app.UseClientRateLimit();
    app.UseApiAuthentication();
    app.UseSubjectRateLimit();
    app.UseMcpToolCalls();
    app.UseApiAuthorization();
    Ablation.MapRoutesWithoutFastEndpoints(app);
    app.UseFastEndpoints(c =>
    {
        c.Errors.UseApiErrors();
        c.Binding.UseApiBindingErrors();
    });
    app.MapMcpEndpoint();
    app.UseApiDocs();
    app.Run();
    return 0;
}
catch (Exception e) when (HostingSetup.IsConfigurationError(e) && System.Reflection.Assembly.GetEntryAssembly() == typeof(Program).Assembly)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}

/// <summary>The entry point, public for <c>WebApplicationFactory</c>.</summary>
public partial class Program;
