using Microsoft.Extensions.Options;

namespace MySecureApi.Infrastructure.Hosting;

/// <summary>The graceful shutdown: its settings, its lifecycle service and the 503 for requests the closing listener cut short.</summary>
public static class GracefulShutdownSetup
{
    public static IServiceCollection AddGracefulShutdown(this IServiceCollection services)
    {
        services.AddOptions<ShutdownOptions>().BindConfiguration(ShutdownOptions.Section)
            .PostConfigure<IHostEnvironment>((o, environment) =>
                o.ReadinessDelaySeconds ??= environment.IsDevelopment() ? 0 : ShutdownOptions.DefaultReadinessDelaySeconds)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ShutdownOptions>, ShutdownOptionsValidator>();
        services.AddSingleton<GracefulShutdown>();
        services.AddHostedService(sp => sp.GetRequiredService<GracefulShutdown>());
        services.AddExceptionHandler<ShutdownExceptionHandler>();
        // The host waits for the delay and the drain, and a little for the services after them.
        services.AddOptions<HostOptions>().Configure<IOptions<ShutdownOptions>>((host, shutdown) =>
            host.ShutdownTimeout = TimeSpan.FromSeconds(shutdown.Value.ReadinessDelaySeconds!.Value + shutdown.Value.DrainSeconds + 5));
        return services;
    }
}
