using System.Text.Json.Serialization;

namespace MySecureApi.Features.Health.GetReady;

/// <summary>
/// Each issuer's signing-key state (<c>keys loaded</c>); <c>redis</c> (<c>connected</c> or <c>unavailable</c>) only when
/// Redis is configured, and <c>database</c> (same states); neither of those two decides readiness.
/// </summary>
internal sealed record Response(
    string Status,
    IReadOnlyDictionary<string, string> Issuers,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Redis,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Database);
