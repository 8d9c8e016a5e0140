using Microsoft.Extensions.Options;

namespace MySecureApi.Infrastructure.Hosting;

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
