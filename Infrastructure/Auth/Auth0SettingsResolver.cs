using System.Collections.Immutable;
using MySecureApi.Infrastructure.Auth.Settings;

namespace MySecureApi.Infrastructure.Auth;

/// <summary>
/// Resolves the bound <see cref="Auth0Options"/> into <see cref="Auth0Settings"/>: default algorithms, the domains
/// normalised as the seed accepts them, every issuer and audience, and, in Development without a tenant, the built-in
/// development issuer. A pure function of its inputs: the validator and the app resolve the same settings.
/// </summary>
internal static class Auth0SettingsResolver
{
    public const string DevelopmentAudience = "https://mysecureapi.local";

    /// <param name="bound">The settings as bound.</param>
    /// <param name="development">Whether the host runs in the Development environment.</param>
    /// <param name="port">The port the app listens on (where the development issuer is served).</param>
    public static Auth0Settings Resolve(Auth0Options bound, bool development, int port)
    {
        var domains = List(bound.Domain, bound.Domains).Select(NormaliseDomain).Distinct(StringComparer.OrdinalIgnoreCase).ToImmutableArray();
        var audiences = List(bound.Audience, bound.Audiences).Distinct(StringComparer.Ordinal).ToImmutableArray();
        var usesDevelopmentIssuer = development && domains.IsEmpty;
        if (usesDevelopmentIssuer && audiences.IsEmpty)
            audiences = [DevelopmentAudience];
        return new Auth0Settings
        {
            Domains = domains,
            Issuers = usesDevelopmentIssuer ? [$"http://localhost:{port}/"] : [.. domains.Select(d => $"https://{d}/")],
            Audiences = audiences,
            UsesDevelopmentIssuer = usesDevelopmentIssuer,
            Resource = string.IsNullOrWhiteSpace(bound.Resource) ? null : bound.Resource.Trim(),
            Algorithms = bound.Algorithms.Length == 0 ? ["RS256"] : [.. bound.Algorithms],
            ClockTolerance = TimeSpan.FromSeconds(bound.ClockToleranceSeconds),
            StrictAccessTokenProfile = bound.StrictAccessTokenProfile,
            MaxTokenAge = bound.MaxTokenAgeSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
            AllowQueryStringToken = bound.AllowQueryStringToken,
            AllowFormBodyToken = bound.AllowFormBodyToken,
            SwaggerClientId = string.IsNullOrWhiteSpace(bound.SwaggerClientId) ? null : bound.SwaggerClientId.Trim(),
        };
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
