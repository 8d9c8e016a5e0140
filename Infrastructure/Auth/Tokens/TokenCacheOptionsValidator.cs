using Microsoft.Extensions.Options;
using MySecureApi.Infrastructure.Hosting;

namespace MySecureApi.Infrastructure.Auth.Tokens;

/// <summary>Refuses to start with token-cache settings out of range, naming the key and an example.</summary>
internal sealed class TokenCacheOptionsValidator : IValidateOptions<TokenCacheOptions>
{
    public ValidateOptionsResult Validate(string? name, TokenCacheOptions options) => SettingRules.FirstFailure(
        SettingRules.Range("Auth0:TokenCache:MaxEntries", options.MaxEntries, 1, 10_000_000, 10_000),
        SettingRules.Range("Auth0:TokenCache:MaxLifetimeSeconds", options.MaxLifetimeSeconds, 1, 86_400, 600));
}
