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
