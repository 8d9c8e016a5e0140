using Microsoft.Extensions.Options;
using MySecureApi.Infrastructure.Hosting;

namespace MySecureApi.Infrastructure.Auth;

/// <summary>
/// Binds <see cref="Auth0Options"/> from the seed's variable names first, then from <c>Auth0:*</c>; in Development
/// without a tenant, switches to the built-in development issuer.
/// </summary>
internal sealed class Auth0OptionsSetup(IConfiguration configuration, IHostEnvironment environment) : IConfigureOptions<Auth0Options>
{
    public const string DomainVariable = "AUTH0_DOMAIN";
    public const string AudienceVariable = "AUTH0_AUDIENCE";
    public const string DevelopmentAudience = "https://mysecureapi.local";

    public void Configure(Auth0Options options)
    {
        configuration.GetSection(Auth0Options.Section).Bind(options);
        if (options.Algorithms.Length == 0)
            options.Algorithms = ["RS256"];
        if (options.DPoP.Algorithms.Length == 0)
            options.DPoP.Algorithms = DPoP.DPoPOptions.DefaultAlgorithms;
        options.Domain = NormaliseDomain(Variable(DomainVariable) ?? options.Domain);
        options.Audience = (Variable(AudienceVariable) ?? options.Audience).Trim();
        if (Variable(DPoP.DPoPOptions.ModeVariable) is { } mode)
            options.DPoP.Mode = Enum.TryParse<DPoP.DPoPMode>(mode, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
                ? parsed
                : throw new StartupConfigurationException($"{DPoP.DPoPOptions.ModeVariable} must be Allowed, Required or Disabled, e.g. {DPoP.DPoPOptions.ModeVariable}=Allowed");
        if (environment.IsDevelopment() && options.Domain.Length == 0)
        {
            options.UsesDevelopmentIssuer = true;
            options.DevelopmentIssuer = $"http://localhost:{HostingSetup.ConfiguredPort(configuration)}/";
            if (options.Audience.Length == 0)
                options.Audience = DevelopmentAudience;
        }
    }

    private string? Variable(string name) => string.IsNullOrWhiteSpace(configuration[name]) ? null : configuration[name];

    /// <summary>Accepts <c>https://tenant/</c> as well as <c>tenant</c>, as the seed does; HTTPS's own port 443 is implied.</summary>
    internal static string NormaliseDomain(string value)
    {
        var domain = value.Trim();
        if (domain.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            domain = domain["https://".Length..];
        domain = domain.TrimEnd('/');
        return domain.EndsWith(":443", StringComparison.Ordinal) ? domain[..^":443".Length] : domain;
    }

    /// <summary>A host name or IPv4 address, optionally with <c>:port</c> (a local OpenID Connect provider), and nothing else.</summary>
    internal static bool IsHostAndPort(string domain)
    {
        var colon = domain.LastIndexOf(':');
        var host = colon < 0 ? domain : domain[..colon];
        if (colon >= 0 && !(ushort.TryParse(domain.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) && port > 0))
            return false;
        return Uri.CheckHostName(host) is UriHostNameType.Dns or UriHostNameType.IPv4;
    }
}

/// <summary>Refuses to start with a missing or malformed tenant, naming the variable and an example.</summary>
internal sealed class Auth0OptionsValidator : IValidateOptions<Auth0Options>
{
    public ValidateOptionsResult Validate(string? name, Auth0Options options)
    {
        if (options.UsesDevelopmentIssuer)
            return ValidateRules(options);
        if (options.Domain.Length == 0)
            return Fail($"{Auth0OptionsSetup.DomainVariable} is not set: set it to your Auth0 tenant domain, e.g. {Auth0OptionsSetup.DomainVariable}=dev-abc123.us.auth0.com");
        if (!Auth0OptionsSetup.IsHostAndPort(options.Domain))
            return Fail($"{Auth0OptionsSetup.DomainVariable} is not a host name (or host:port): set it to your Auth0 tenant domain, e.g. {Auth0OptionsSetup.DomainVariable}=dev-abc123.us.auth0.com");
        if (options.Audience.Length == 0)
            return Fail($"{Auth0OptionsSetup.AudienceVariable} is not set: set it to your API identifier, e.g. {Auth0OptionsSetup.AudienceVariable}=https://api.example.com");
        return ValidateRules(options);
    }

    private static ValidateOptionsResult ValidateRules(Auth0Options options)
    {
        if (options.Algorithms.Length == 0 || options.Algorithms.Any(a => !SupportedAlgorithms.Contains(a)))
            return Fail($"Auth0:Algorithms may only list asymmetric algorithms ({string.Join(", ", SupportedAlgorithms)}), e.g. Auth0:Algorithms:0=RS256");
        if (options.ClockToleranceSeconds is < 0 or > 300)
            return Fail("Auth0:ClockToleranceSeconds must be between 0 and 300, e.g. Auth0:ClockToleranceSeconds=30");
        if (options.DPoP.Algorithms.Length == 0 || options.DPoP.Algorithms.Any(a => a != "EdDSA" && !SupportedAlgorithms.Contains(a)))
            return Fail($"Auth0:DPoP:Algorithms may only list asymmetric algorithms ({string.Join(", ", SupportedAlgorithms)}, EdDSA), e.g. Auth0:DPoP:Algorithms:0=ES256");
        if (options.MaxTokenAgeSeconds is <= 0)
            return Fail("Auth0:MaxTokenAgeSeconds must be positive when set, e.g. Auth0:MaxTokenAgeSeconds=3600");
        var dpop = options.DPoP;
        var cache = options.TokenCache;
        var keys = options.KeySet;
        var outOfRange = new[]
        {
            SettingRules.Range("Auth0:DPoP:MaxAgeSeconds", dpop.MaxAgeSeconds, 1, 3600, 300),
            SettingRules.Range("Auth0:DPoP:FutureSkewSeconds", dpop.FutureSkewSeconds, 0, 300, 30),
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
