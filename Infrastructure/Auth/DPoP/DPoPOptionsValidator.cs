using Microsoft.Extensions.Options;
using MySecureApi.Infrastructure.Auth.Settings;
using MySecureApi.Infrastructure.Hosting;

namespace MySecureApi.Infrastructure.Auth.DPoP;

/// <summary>Refuses to start with DPoP settings out of range, naming the key and an example.</summary>
internal sealed class DPoPOptionsValidator(Auth0Settings auth0) : IValidateOptions<DPoPOptions>
{
    public ValidateOptionsResult Validate(string? name, DPoPOptions options)
    {
        if (!Enum.IsDefined(options.Mode))
            return Fail($"{SeedVariables.DPoPMode} must be Allowed, Required or Disabled, e.g. {SeedVariables.DPoPMode}=Allowed");
        if (options.Algorithms.Any(a => a != "EdDSA" && !SigningAlgorithms.Asymmetric.Contains(a)))
            return Fail($"Auth0:DPoP:Algorithms may only list asymmetric algorithms ({string.Join(", ", SigningAlgorithms.Asymmetric)}, EdDSA), e.g. Auth0:DPoP:Algorithms:0=ES256");
        if (options.Nonce && !auth0.UsesDevelopmentIssuer && (options.NonceSecret?.Length ?? 0) < DPoPOptions.MinNonceSecretLength)
            return Fail($"Auth0:DPoP:NonceSecret must be set to a random value of at least {DPoPOptions.MinNonceSecretLength} characters, the same on every instance, when Auth0:DPoP:Nonce is on, e.g. Auth0:DPoP:NonceSecret=$(openssl rand -base64 48)");
        return SettingRules.FirstFailure(
            SettingRules.Range("Auth0:DPoP:MaxAgeSeconds", options.MaxAgeSeconds, 1, 3600, 300),
            SettingRules.Range("Auth0:DPoP:FutureSkewSeconds", options.FutureSkewSeconds, 0, 300, 30),
            SettingRules.Range("Auth0:DPoP:NonceWindowSeconds", options.NonceWindowSeconds, 10, 3600, 300),
            SettingRules.Range("Auth0:DPoP:ReplayCacheSize", options.ReplayCacheSize, 1, 10_000_000, 100_000),
            SettingRules.Range("Auth0:DPoP:ReplayCachePerKeyLimit", options.ReplayCachePerKeyLimit, 1, options.ReplayCacheSize, 2_000));
    }

    private static ValidateOptionsResult Fail(string message) => ValidateOptionsResult.Fail(message);
}
