using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace MySecureApi.Infrastructure.Redis;

/// <summary>
/// The one Redis connection of the instance: connected in the background (startup never blocks on Redis), reconnecting
/// by itself; users check <see cref="Multiplexer"/> and treat Redis errors by their own failure policy.
/// </summary>
public sealed class RedisConnection(IOptions<RedisOptions> settings, ILogger<RedisConnection> logger, IEnumerable<IRedisConnectionObserver> observers)
    : IAsyncDisposable
{
    private readonly Lazy<Task<IConnectionMultiplexer>> connection = new(() => Task.Run(async () =>
    {
        var multiplexer = await ConnectAsync(settings.Value.Configuration!, logger);
        foreach (var observer in observers)
            observer.Connected(multiplexer);
        return multiplexer;
    }));

    public bool Configured => settings.Value.Configured;

    /// <summary>The multiplexer once created (it may still be reconnecting); null before or when Redis is not configured.</summary>
    public IConnectionMultiplexer? Multiplexer =>
        Configured && connection.IsValueCreated && connection.Value.IsCompletedSuccessfully ? connection.Value.Result : null;

    public bool IsConnected => Multiplexer?.IsConnected == true;

    /// <summary>Starts connecting without waiting.</summary>
    public void Start()
    {
        if (Configured)
            _ = connection.Value;
    }

    private static async Task<IConnectionMultiplexer> ConnectAsync(string configuration, ILogger logger)
    {
        var text = ToConfiguration(configuration);
        var options = ConfigurationOptions.Parse(text);
        options.AbortOnConnectFail = false;
        // 2 s unless the configuration string names its own connectTimeout (a distant Redis may need more).
        if (!text.Contains("connectTimeout=", StringComparison.OrdinalIgnoreCase))
            options.ConnectTimeout = 2000;
        options.SyncTimeout = 1000;
        options.AsyncTimeout = 1000;
        options.ConnectRetry = 1;
        var multiplexer = await ConnectionMultiplexer.ConnectAsync(options);
        multiplexer.ConnectionFailed += (_, e) => logger.LogWarning("Redis connection lost ({FailureType}); rate limits fail open, DPoP requests get 503 until it returns", e.FailureType);
        multiplexer.ConnectionRestored += (_, _) => logger.LogInformation("Redis connection restored");
        if (!multiplexer.IsConnected)
            logger.LogWarning("Redis is not reachable yet; rate limits fail open, DPoP requests get 503 until it is");
        return multiplexer;
    }

    /// <summary>Accepts <c>redis://[:password@]host:port</c> as well as a StackExchange.Redis configuration string.</summary>
    internal static string ToConfiguration(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("redis" or "rediss"))
            return value;
        var parts = new List<string> { $"{uri.Host}:{(uri.IsDefaultPort ? 6379 : uri.Port)}" };
        if (uri.UserInfo.Split(':', 2) is [_, var password] && password.Length > 0)
            parts.Add($"password={Uri.UnescapeDataString(password)}");
        if (uri.Scheme == "rediss")
            parts.Add("ssl=true");
        return string.Join(',', parts);
    }

    public async ValueTask DisposeAsync()
    {
        if (!connection.IsValueCreated)
            return;
        if (connection.Value.IsCompletedSuccessfully)
            await connection.Value.Result.DisposeAsync();
        else
            // Still connecting (start-up never waits for it): the multiplexer is closed as soon as it exists.
            _ = connection.Value.ContinueWith(static connected => connected.Result.Dispose(), TaskContinuationOptions.OnlyOnRanToCompletion);
    }
}

/// <summary>Told of the multiplexer once it exists (e.g. tracing, which instruments it).</summary>
public interface IRedisConnectionObserver
{
    void Connected(IConnectionMultiplexer multiplexer);
}
