using Microsoft.Extensions.Options;
using MySecureApi.Infrastructure.Hosting;

namespace MySecureApi.Infrastructure.Auth.Keys;

/// <summary>Refuses to start with key-set settings out of range, naming the key and an example.</summary>
internal sealed class KeySetOptionsValidator : IValidateOptions<KeySetOptions>
{
    public ValidateOptionsResult Validate(string? name, KeySetOptions options) => SettingRules.FirstFailure(
        SettingRules.Range("Auth0:KeySet:BackchannelTimeoutSeconds", options.BackchannelTimeoutSeconds, 1, 120, 10),
        SettingRules.Range("Auth0:KeySet:RefreshIntervalMinutes", options.RefreshIntervalMinutes, 1, 1440, 15),
        SettingRules.Range("Auth0:KeySet:UnknownKeyCooldownSeconds", options.UnknownKeyCooldownSeconds, 0, 3600, 30),
        SettingRules.Range("Auth0:KeySet:MinRetrySeconds", options.MinRetrySeconds, 1, 3600, 5),
        SettingRules.Range("Auth0:KeySet:MaxRetrySeconds", options.MaxRetrySeconds, options.MinRetrySeconds, 86_400, 300));
}
