using System.ComponentModel;
using System.Text.Json.Nodes;

namespace MySecureApi.Features.DevIssuer;

/// <summary>What a development token should carry; shared by <c>dotnet run -- token</c> and <c>POST /dev/token</c>.</summary>
public sealed class DevTokenRequest
{
    public const string DefaultSubject = "dev|local-user";
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(30);

    /// <summary>The subject; <c>dev|local-user</c> when left out (the default the OpenAPI document states).</summary>
    [DefaultValue(DefaultSubject)]
    public string Sub { get; set; } = DefaultSubject;

    /// <summary>Space-delimited, as Auth0 issues <c>scope</c>.</summary>
    public string? Scope { get; set; }

    /// <summary>Auth0's RBAC <c>permissions</c> array.</summary>
    public List<string>? Permissions { get; set; }

    /// <summary>
    /// More audiences besides the API's own, e.g. the MCP resource (<c>http://localhost:3000/mcp</c>), which an agent's
    /// token for <c>/mcp</c> must name.
    /// </summary>
    public List<string>? Audiences { get; set; }

    /// <summary>Extra claims with their JSON types (boolean, number, array, string…).</summary>
    public Dictionary<string, JsonNode?>? Claims { get; set; }

    /// <summary>RFC 7638 thumbprint of a DPoP key: the token gets <c>cnf.jkt</c> and must then be sent with DPoP.</summary>
    public string? Jkt { get; set; }

    /// <summary>
    /// RFC 8705 <c>x5t#S256</c> of a client certificate (base64url SHA-256 of its DER): the token gets
    /// <c>cnf["x5t#S256"]</c> and is then accepted only over a connection presenting that certificate.
    /// </summary>
    public string? CertificateThumbprint { get; set; }

    /// <summary>Lifetime such as <c>90s</c>, <c>30m</c>, <c>1h</c>, <c>7d</c>, or seconds.</summary>
    [DefaultValue(DefaultLifetime)]
    public string ExpiresIn { get; set; } = DefaultLifetime;

    public const string DefaultLifetime = "1h";

    /// <summary>Parses <see cref="ExpiresIn"/>; null when it is not a positive duration up to 30 days.</summary>
    public static TimeSpan? ParseLifetime(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            return null;
        var text = value.Trim();
        var (number, unit) = char.IsLetter(text[^1]) ? (text[..^1], char.ToLowerInvariant(text[^1])) : (text, 's');
        if (!int.TryParse(number, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var amount) || amount <= 0)
            return null;
        TimeSpan? lifetime = unit switch
        {
            's' => TimeSpan.FromSeconds(amount),
            'm' => TimeSpan.FromMinutes(amount),
            'h' => TimeSpan.FromHours(amount),
            'd' => TimeSpan.FromDays(amount),
            _ => null,
        };
        return lifetime <= MaxLifetime ? lifetime : null;
    }
}
