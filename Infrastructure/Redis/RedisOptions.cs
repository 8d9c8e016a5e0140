namespace MySecureApi.Infrastructure.Redis;

/// <summary>Where the shared state lives (<c>REDIS_URL</c> or <c>Redis:Configuration</c>); unset = in memory.</summary>
public sealed class RedisOptions
{
    public const string Section = "Redis";

    /// <summary>A StackExchange.Redis configuration string (<c>host:6379,password=…</c>) or a <c>redis://</c> URL.</summary>
    public string? Configuration { get; set; }

    public bool Configured => !string.IsNullOrWhiteSpace(Configuration);
}
