using Microsoft.Extensions.Options;
using MySecureApi.Infrastructure.Hosting;

namespace MySecureApi.Infrastructure.Auth;

/// <summary>Refuses to start with a missing or malformed tenant, naming the variable and an example.</summary>
internal sealed class Auth0OptionsValidator : IValidateOptions<Auth0Options>
{
    public ValidateOptionsResult Validate(string? name, Auth0Options options)
    {
        if (options.UsesDevelopmentIssuer)
            return ValidateRules(options);
        if (options.Domains.Length == 0)
            return Fail($"{SeedVariables.Domain} is not set: set it to your Auth0 tenant domain, e.g. {SeedVariables.Domain}=dev-abc123.us.auth0.com");
        if (!options.Domains.All(Auth0OptionsSetup.IsHostAndPort))
            return Fail($"{SeedVariables.Domain} is not a host name (or host:port), or a comma-separated list of them: set it to your Auth0 tenant domain, e.g. {SeedVariables.Domain}=dev-abc123.us.auth0.com");
        if (options.Domains.Length > MaxIssuers)
            return Fail($"{SeedVariables.Domain} names more than {MaxIssuers} domains: list the tenant's canonical domain and its custom domains only");
        if (options.Audiences.Length == 0)
            return Fail($"{SeedVariables.Audience} is not set: set it to your API identifier, e.g. {SeedVariables.Audience}=https://api.example.com");
        return ValidateRules(options);
    }

    /// <summary>A bound on what configuration makes the API hold: each issuer keeps a key set (up to 1 MB) and its own fetches.</summary>
    public const int MaxIssuers = 20;

    private static ValidateOptionsResult ValidateRules(Auth0Options options)
    {
        if (options.Resource is { } resource && !(Uri.TryCreate(resource, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps && uri.Fragment.Length == 0))
            return Fail("Auth0:Resource must be an https URL without a fragment, e.g. Auth0:Resource=https://api.example.com");
        if (options.Algorithms.Length == 0 || options.Algorithms.Any(a => !SupportedAlgorithms.Contains(a)))
            return Fail($"Auth0:Algorithms may only list asymmetric algorithms ({string.Join(", ", SupportedAlgorithms)}), e.g. Auth0:Algorithms:0=RS256");
        if (!Enum.IsDefined(options.DPoP.Mode))
            return Fail($"{SeedVariables.DPoPMode} must be Allowed, Required or Disabled, e.g. {SeedVariables.DPoPMode}=Allowed");
        if (options.ClockToleranceSeconds is < 0 or > 300)
            return Fail("Auth0:ClockToleranceSeconds must be between 0 and 300, e.g. Auth0:ClockToleranceSeconds=30");
        if (options.DPoP.Algorithms.Length == 0 || options.DPoP.Algorithms.Any(a => a != "EdDSA" && !SupportedAlgorithms.Contains(a)))
            return Fail($"Auth0:DPoP:Algorithms may only list asymmetric algorithms ({string.Join(", ", SupportedAlgorithms)}, EdDSA), e.g. Auth0:DPoP:Algorithms:0=ES256");
        if (options.MaxTokenAgeSeconds is <= 0)
            return Fail("Auth0:MaxTokenAgeSeconds must be positive when set, e.g. Auth0:MaxTokenAgeSeconds=3600");
        var dpop = options.DPoP;
        if (dpop.Nonce && !options.UsesDevelopmentIssuer && (dpop.NonceSecret?.Length ?? 0) < DPoP.DPoPOptions.MinNonceSecretLength)
            return Fail($"Auth0:DPoP:NonceSecret must be set to a random value of at least {DPoP.DPoPOptions.MinNonceSecretLength} characters, the same on every instance, when Auth0:DPoP:Nonce is on, e.g. Auth0:DPoP:NonceSecret=$(openssl rand -base64 48)");
        var cache = options.TokenCache;
        var keys = options.KeySet;
        var outOfRange = new[]
        {
            SettingRules.Range("Auth0:DPoP:MaxAgeSeconds", dpop.MaxAgeSeconds, 1, 3600, 300),
            SettingRules.Range("Auth0:DPoP:FutureSkewSeconds", dpop.FutureSkewSeconds, 0, 300, 30),
            SettingRules.Range("Auth0:DPoP:NonceWindowSeconds", dpop.NonceWindowSeconds, 10, 3600, 300),
            SettingRules.Range("Auth0:DPoP:ReplayCacheSize", dpop.ReplayCacheSize, 1, 10_000_000, 100_000),
            SettingRules.Range("Auth0:DPoP:ReplayCachePerKeyLimit", dpop.ReplayCachePerKeyLimit, 1, dpop.ReplayCacheSize, 2_000),
            SettingRules.Range("Auth0:TokenCache:MaxEntries", cache.MaxEntries, 1, 10_000_000, 10_000),
            SettingRules.Range("Auth0:TokenCache:MaxLifetimeSeconds", cache.MaxLifetimeSeconds, 1, 86_400, 600),
            SettingRules.Range("Auth0:KeySet:BackchannelTimeoutSeconds", keys.BackchannelTimeoutSeconds, 1, 120, 10),
            SettingRules.Range("Auth0:KeySet:RefreshIntervalMinutes", keys.RefreshIntervalMinutes, 1, 1440, 15),
            SettingRules.Range("Auth0:KeySet:UnknownKeyCooldownSeconds", keys.UnknownKeyCooldownSeconds, 0, 3600, 30),
            SettingRules.Range("Auth0:KeySet:MinRetrySeconds", keys.MinRetrySeconds, 1, 3600, 5),
            SettingRules.Range("Auth0:KeySet:MaxRetrySeconds", keys.MaxRetrySeconds, keys.MinRetrySeconds, 86_400, 300),
        }.FirstOrDefault(error => error is not null);
        return outOfRange is null ? ValidateOptionsResult.Success : Fail(outOfRange);
    }

    private static readonly string[] SupportedAlgorithms = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"];

    private static ValidateOptionsResult Fail(string message) => ValidateOptionsResult.Fail(message);
}
