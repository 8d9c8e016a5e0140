using Microsoft.Extensions.Options;
using MySecureApi.Infrastructure.Hosting;

namespace MySecureApi.Infrastructure.RateLimiting;

/// <summary>Each layer's numbers in range, named in the start-up error by their full key.</summary>
internal sealed class RateLimitingOptionsValidator : IValidateOptions<RateLimitingOptions>
{
    public ValidateOptionsResult Validate(string? name, RateLimitingOptions options)
    {
        if (!options.Enabled)
            return ValidateOptionsResult.Success;
        var error = Layer("Ip", options.Ip, 600) ?? Layer("Subject", options.Subject, 300) ?? Layer("Write", options.Write, 60);
        return error is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(error);
    }

    private static string? Layer(string name, RateLimitLayerOptions layer, int examplePermits)
    {
        var key = $"{RateLimitingOptions.Section}:{name}";
        if (!Enum.IsDefined(layer.Algorithm))
            return $"{key}:Algorithm must be FixedWindow, SlidingWindow or TokenBucket, e.g. {key}:Algorithm=SlidingWindow";
        return SettingRules.Range($"{key}:PermitLimit", layer.PermitLimit, 1, 1_000_000_000, examplePermits)
               ?? SettingRules.Range($"{key}:WindowSeconds", layer.WindowSeconds, 1, 86_400, 60)
               ?? (layer.Algorithm == RateLimitAlgorithm.SlidingWindow ? SettingRules.Range($"{key}:SegmentsPerWindow", layer.SegmentsPerWindow, 1, 1000, 6) : null)
               ?? (layer.Algorithm == RateLimitAlgorithm.TokenBucket ? SettingRules.Range($"{key}:TokensPerPeriod", layer.TokensPerPeriod, 1, 1_000_000_000, examplePermits) : null);
    }
}
