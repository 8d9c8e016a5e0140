using Microsoft.Extensions.Options;

namespace MySecureApi.Infrastructure.Hosting;

/// <summary>Refuses to start with a readiness delay or drain out of range, naming the key and an example.</summary>
internal sealed class ShutdownOptionsValidator : IValidateOptions<ShutdownOptions>
{
    public ValidateOptionsResult Validate(string? name, ShutdownOptions options) => SettingRules.FirstFailure(
        SettingRules.Range($"{ShutdownOptions.Section}:ReadinessDelaySeconds", options.ReadinessDelaySeconds ?? 0, 0, 300, 5),
        SettingRules.Range($"{ShutdownOptions.Section}:DrainSeconds", options.DrainSeconds, 1, 3600, 25));
}
