using Microsoft.Extensions.Options;

namespace MySecureApi.Infrastructure.Hosting;

/// <summary>
/// How the app stops on SIGTERM: readiness answers 503 at once; requests are still served for
/// <see cref="ReadinessDelaySeconds"/> (time for a load balancer to see that and stop sending); then the listener closes
/// and requests in flight get up to <see cref="DrainSeconds"/> to complete; then background work and connections close.
/// </summary>
public sealed class ShutdownOptions
{
    public const string Section = "Shutdown";

    /// <summary>Seconds between "not ready" and closing the listener (0 in Development, where nothing balances load).</summary>
    public int? ReadinessDelaySeconds { get; set; }

    /// <summary>Seconds requests in flight get to complete once the listener is closed.</summary>
    public int DrainSeconds { get; set; } = 25;

    public const int DefaultReadinessDelaySeconds = 5;
}

/// <summary>Whether the app is stopping (readiness is then 503), and the delay that lets load balancers notice.</summary>
public sealed class GracefulShutdown(IOptions<ShutdownOptions> options, ILogger<GracefulShutdown> logger) : IHostedLifecycleService
{
    private volatile bool stopping;

    public bool Stopping => stopping;

    /// <summary>Runs before any service stops, so the listener still serves while readiness already says 503.</summary>
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        stopping = true;
        var delay = options.Value.ReadinessDelaySeconds ?? 0;
        logger.LogInformation("Stopping: readiness answers 503 now; requests are served for {Delay} s more, then those in flight get up to {Drain} s",
            delay, options.Value.DrainSeconds);
        if (delay > 0)
            await Task.Delay(TimeSpan.FromSeconds(delay), cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

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

internal sealed class ShutdownOptionsValidator : IValidateOptions<ShutdownOptions>
{
    public ValidateOptionsResult Validate(string? name, ShutdownOptions options) =>
        (SettingRules.Range($"{ShutdownOptions.Section}:ReadinessDelaySeconds", options.ReadinessDelaySeconds ?? 0, 0, 300, 5)
         ?? SettingRules.Range($"{ShutdownOptions.Section}:DrainSeconds", options.DrainSeconds, 1, 3600, 25)) is { } error
            ? ValidateOptionsResult.Fail(error)
            : ValidateOptionsResult.Success;
}

/// <summary>
/// A request whose body was still arriving when the listener closed: Kestrel cancels that read (HTTP/1.1), and the
/// client gets 503 with <c>Retry-After</c> and <c>Connection: close</c> — retry elsewhere — rather than a 500.
/// </summary>
internal sealed class ShutdownExceptionHandler(GracefulShutdown shutdown, ILogger<ShutdownExceptionHandler> logger) : Microsoft.AspNetCore.Diagnostics.IExceptionHandler
{
    public static readonly Errors.ApiError ShuttingDown = Errors.ApiErrors.Unavailable("The service is shutting down", null, TimeSpan.FromSeconds(1));

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not OperationCanceledException || !shutdown.Stopping || context.RequestAborted.IsCancellationRequested)
            return false;
        logger.LogInformation("{Method} {Path} was cut short by the shutdown: answered 503", context.Request.Method, context.Request.Path);
        context.Response.Headers.Connection = "close";
        await Errors.ErrorResponder.WriteAsync(context, ShuttingDown);
        return true;
    }
}
