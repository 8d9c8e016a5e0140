using Microsoft.Extensions.Options;
using MySecureApi.Infrastructure.Hosting;
using StackExchange.Redis;

namespace MySecureApi.Infrastructure.Redis;

/// <summary>A Redis location that parses — a <c>redis[s]://</c> URL with a host, or a configuration string with an endpoint.</summary>
internal sealed class RedisOptionsValidator : IValidateOptions<RedisOptions>
{
    public ValidateOptionsResult Validate(string? name, RedisOptions options) =>
        !options.Configured || IsLocation(options.Configuration!.Trim())
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{SeedVariables.RedisUrl} is not a Redis location: use redis://[:password@]host:port, e.g. {SeedVariables.RedisUrl}=redis://127.0.0.1:6379");

    private static bool IsLocation(string value)
    {
        if (value.StartsWith("redis://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("rediss://", StringComparison.OrdinalIgnoreCase))
            return Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Host.Length > 0;
        try
        {
            return ConfigurationOptions.Parse(value).EndPoints.Count > 0;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
