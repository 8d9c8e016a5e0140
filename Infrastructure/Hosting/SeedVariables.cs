namespace MySecureApi.Infrastructure.Hosting;

/// <summary>
/// The Express seed's environment variable names, mapped once onto the configuration sections the options bind
/// (<c>AUTH0_DOMAIN</c> → <c>Auth0:Domain</c> …). Added after every other source, so a variable that is set wins over
/// its section key from <c>appsettings*.json</c>; which of a real variable and <c>.env</c> wins is decided below, where
/// the real environment is read after <c>.env</c>.
/// </summary>
public static class SeedVariables
{
    public const string Domain = "AUTH0_DOMAIN";
    public const string Audience = "AUTH0_AUDIENCE";
    public const string DPoPMode = "AUTH0_DPOP_MODE";
    public const string MtlsMode = "AUTH0_MTLS_MODE";
    public const string SwaggerClientId = "AUTH0_SWAGGER_CLIENT_ID";
    public const string RedisUrl = "REDIS_URL";
    public const string AllowedOrigin = "ALLOWED_ORIGIN";
    public const string DatabaseUrl = "DATABASE_URL";

    /// <summary>Variable, configuration key, and whether a comma-separated value is a list (<c>key:0</c>, <c>key:1</c>…).</summary>
    internal static readonly IReadOnlyList<(string Variable, string Key, bool List)> Map =
    [
        (Domain, "Auth0:Domain", false),
        (Audience, "Auth0:Audience", false),
        (DPoPMode, "Auth0:DPoP:Mode", false),
        (MtlsMode, "Auth0:Mtls:Mode", false),
        (SwaggerClientId, "Auth0:SwaggerClientId", false),
        (RedisUrl, "Redis:Configuration", false),
        (AllowedOrigin, "Cors:AllowedOrigins", true),
        (DatabaseUrl, "Database:Url", false),
    ];

    public static WebApplicationBuilder MapSeedVariables(this WebApplicationBuilder builder)
    {
        IConfigurationBuilder configuration = builder.Configuration;
        configuration.Add(new SeedVariablesSource(builder.Configuration));
        return builder;
    }

    private sealed class SeedVariablesSource(IConfiguration root) : IConfigurationSource
    {
        public IConfigurationProvider Build(IConfigurationBuilder builder) => new SeedVariablesProvider(root);
    }

    /// <summary>Answers the mapped keys live from the variables, so hosts that add settings later (tests) are seen too.</summary>
    private sealed class SeedVariablesProvider(IConfiguration root) : ConfigurationProvider
    {
        public override bool TryGet(string key, out string? value)
        {
            value = null;
            foreach (var (variable, target, list) in Map)
            {
                // Only a mapped key reads its variable: the root asks this provider for the variables themselves too.
                if (!list && key.Equals(target, StringComparison.OrdinalIgnoreCase))
                    value = Value(variable);
                else if (list && key.Length > target.Length && key[target.Length] == ':' && key.StartsWith(target, StringComparison.OrdinalIgnoreCase)
                         && int.TryParse(key.AsSpan(target.Length + 1), out var index) && Value(variable) is { } set
                         && Items(set) is var items && index >= 0 && index < items.Length)
                    value = items[index];
                if (value is not null)
                    return true;
            }
            return false;
        }

        public override IEnumerable<string> GetChildKeys(IEnumerable<string> earlierKeys, string? parentPath)
        {
            var keys = earlierKeys.ToList();
            foreach (var (variable, target, list) in Map)
            {
                if (Value(variable) is not { } set)
                    continue;
                if (list && string.Equals(parentPath, target, StringComparison.OrdinalIgnoreCase))
                {
                    // The variable replaces the whole list, not just its first items.
                    keys.Clear();
                    keys.AddRange(Enumerable.Range(0, Items(set).Length).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                    continue;
                }
                var segments = target.Split(':');
                for (var depth = 0; depth < segments.Length; depth++)
                {
                    var parent = depth == 0 ? null : string.Join(':', segments[..depth]);
                    if (string.Equals(parent, parentPath, StringComparison.OrdinalIgnoreCase))
                        keys.Add(segments[depth]);
                }
            }
            return keys.Distinct(StringComparer.OrdinalIgnoreCase).Order(ConfigurationKeyComparer.Instance).ToList();
        }

        private string? Value(string variable) => root[variable] is { } value && !string.IsNullOrWhiteSpace(value) ? value : null;

        private static string[] Items(string value) => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }
}
