using System.Text.Json.Serialization;

namespace MySecureApi.Features.Health.GetReady;

/// <summary><c>redis</c> (<c>connected</c> or <c>unavailable</c>) only when Redis is configured; it does not decide readiness.</summary>
internal sealed record Response(string Status, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Redis);
