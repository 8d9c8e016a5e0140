using Microsoft.Extensions.Options;
using MySecureApi.Infrastructure.Auth.Settings;
using MySecureApi.Infrastructure.Hosting;

namespace MySecureApi.Infrastructure.Auth;

/// <summary>Refuses to start with a missing or malformed tenant, naming the variable and an example.</summary>
internal sealed class Auth0OptionsValidator(IHostEnvironment environment, IConfiguration configuration) : IValidateOptions<Auth0Options>
{
    /// <summary>A bound on what configuration makes the API hold: each issuer keeps a key set (up to 1 MB) and its own fetches.</summary>
    public const int MaxIssuers = 20;

    public ValidateOptionsResult Validate(string? name, Auth0Options options)
    {
        var settings = Auth0SettingsResolver.Resolve(options, environment.IsDevelopment(), HostingSetup.ConfiguredPort(configuration));
        if (!settings.UsesDevelopmentIssuer)
        {
            if (settings.Domains.Length == 0)
                return Fail($"{SeedVariables.Domain} is not set: set it to your Auth0 tenant domain, e.g. {SeedVariables.Domain}=dev-abc123.us.auth0.com");
            if (!settings.Domains.All(Auth0SettingsResolver.IsHostAndPort))
                return Fail($"{SeedVariables.Domain} is not a host name (or host:port), or a comma-separated list of them: set it to your Auth0 tenant domain, e.g. {SeedVariables.Domain}=dev-abc123.us.auth0.com");
            if (settings.Domains.Length > MaxIssuers)
                return Fail($"{SeedVariables.Domain} names more than {MaxIssuers} domains: list the tenant's canonical domain and its custom domains only");
            if (settings.Audiences.Length == 0)
                return Fail($"{SeedVariables.Audience} is not set: set it to your API identifier, e.g. {SeedVariables.Audience}=https://api.example.com");
        }
        if (settings.Resource is { } resource && !(Uri.TryCreate(resource, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps && uri.Fragment.Length == 0))
            return Fail("Auth0:Resource must be an https URL without a fragment, e.g. Auth0:Resource=https://api.example.com");
        if (settings.Algorithms.Any(a => !SigningAlgorithms.Asymmetric.Contains(a)))
            return Fail($"Auth0:Algorithms may only list asymmetric algorithms ({string.Join(", ", SigningAlgorithms.Asymmetric)}), e.g. Auth0:Algorithms:0=RS256");
        if (options.ClockToleranceSeconds is < 0 or > 300)
            return Fail("Auth0:ClockToleranceSeconds must be between 0 and 300, e.g. Auth0:ClockToleranceSeconds=30");
        if (options.MaxTokenAgeSeconds is <= 0)
            return Fail("Auth0:MaxTokenAgeSeconds must be positive when set, e.g. Auth0:MaxTokenAgeSeconds=3600");
        return ValidateOptionsResult.Success;
    }

    private static ValidateOptionsResult Fail(string message) => ValidateOptionsResult.Fail(message);
}
