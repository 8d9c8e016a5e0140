using System.Text.Json.Serialization;
using Microsoft.AspNetCore.WebUtilities;

namespace MySecureApi.Infrastructure.Errors;

/// <summary>The RFC 9457 body every error response carries, with the Express version's <c>error</c> and <c>message</c>.</summary>
public sealed class ProblemBody
{
    public const string ContentType = "application/problem+json";

    [JsonPropertyName("type")] public required string Type { get; init; }
    [JsonPropertyName("title")] public required string Title { get; init; }
    [JsonPropertyName("status")] public required int Status { get; init; }
    [JsonPropertyName("error")] public required string Error { get; init; }
    [JsonPropertyName("message")] public required string Message { get; init; }

    [JsonPropertyName("detail"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Detail { get; init; }

    [JsonPropertyName("errors"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string[]>? Errors { get; init; }

    [JsonPropertyName("traceId")] public required string TraceId { get; init; }

    public static ProblemBody From(ApiError error, HttpContext context) => new()
    {
        Type = TypeFor(error.Status),
        Title = ReasonPhrases.GetReasonPhrase(error.Status),
        Status = error.Status,
        Error = error.Code,
        Message = error.Message,
        Detail = error.Detail,
        Errors = error.Fields,
        TraceId = RequestTrace.Id(context),
    };

    private static string TypeFor(int status) => status switch
    {
        400 => "https://tools.ietf.org/html/rfc9110#section-15.5.1",
        401 => "https://tools.ietf.org/html/rfc9110#section-15.5.2",
        403 => "https://tools.ietf.org/html/rfc9110#section-15.5.4",
        404 => "https://tools.ietf.org/html/rfc9110#section-15.5.5",
        405 => "https://tools.ietf.org/html/rfc9110#section-15.5.6",
        409 => "https://tools.ietf.org/html/rfc9110#section-15.5.10",
        412 => "https://tools.ietf.org/html/rfc9110#section-15.5.13",
        413 => "https://tools.ietf.org/html/rfc9110#section-15.5.14",
        415 => "https://tools.ietf.org/html/rfc9110#section-15.5.16",
        422 => "https://tools.ietf.org/html/rfc9110#section-15.5.21",
        429 => "https://tools.ietf.org/html/rfc6585#section-4",
        500 => "https://tools.ietf.org/html/rfc9110#section-15.6.1",
        503 => "https://tools.ietf.org/html/rfc9110#section-15.6.4",
        _ => "about:blank",
    };
}
