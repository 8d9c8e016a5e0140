using System.Text.Json.Serialization;

namespace MySecureApi.Features.Health.GetReady;

/// <summary>
/// <c>redis</c> (<c>connected</c> or <c>unavailable</c>) only when Redis is configured, and <c>database</c> (same states);
/// neither decides readiness.
/// </summary>
internal sealed record Response(
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Redis,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Database);
