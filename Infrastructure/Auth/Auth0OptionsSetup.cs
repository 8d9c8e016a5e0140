using Microsoft.Extensions.Options;
using MySecureApi.Infrastructure.Hosting;

namespace MySecureApi.Infrastructure.Auth;

/// <summary>
/// Completes the bound <see cref="Auth0Options"/>: default algorithms, the domain normalised as the seed accepts it,
/// and, in Development without a tenant, the built-in development issuer.
/// </summary>
internal sealed class Auth0OptionsSetup(IConfiguration configuration, IHostEnvironment environment) : IPostConfigureOptions<Auth0Options>
{
    public const string DevelopmentAudience = "https://mysecureapi.local";

    public void PostConfigure(string? name, Auth0Options options)
    {
        if (options.Algorithms.Length == 0)
            options.Algorithms = ["RS256"];
        if (options.DPoP.Algorithms.Length == 0)
            options.DPoP.Algorithms = DPoP.DPoPOptions.DefaultAlgorithms;
        options.Domains = [.. List(options.Domain, options.Domains).Select(NormaliseDomain).Distinct(StringComparer.OrdinalIgnoreCase)];
        options.Audiences = [.. List(options.Audience, options.Audiences).Distinct(StringComparer.Ordinal)];
        options.Resource = string.IsNullOrWhiteSpace(options.Resource) ? null : options.Resource.Trim();
        if (environment.IsDevelopment() && options.Domains.Length == 0)
        {
            options.UsesDevelopmentIssuer = true;
            options.DevelopmentIssuer = $"http://localhost:{HostingSetup.ConfiguredPort(configuration)}/";
            if (options.Audiences.Length == 0)
                options.Audiences = [DevelopmentAudience];
        }
        options.Domain = options.Domains.FirstOrDefault() ?? "";
        options.Audience = options.Audiences.FirstOrDefault() ?? "";
        options.Issuers = options.UsesDevelopmentIssuer ? [options.DevelopmentIssuer] : [.. options.Domains.Select(d => $"https://{d}/")];
    }

    /// <summary>A comma-separated setting and its array form, as one list without empty items.</summary>
    private static IEnumerable<string> List(string commaSeparated, string[] items) =>
        commaSeparated.Split(',').Concat(items).Select(item => item.Trim()).Where(item => item.Length > 0);

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
