using System.Text.Json;
using System.Text.Json.Serialization;

namespace MySecureApi.Infrastructure.Errors;

/// <summary>The error body's serializer, generated at build time: no reflection on the 401/403 path.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ProblemBody))]
internal sealed partial class ProblemJson : JsonSerializerContext;

/// <summary>Writes every error response of the API; nothing else builds error bodies.</summary>
public static class ErrorResponder
{
    /// <summary>Writes <paramref name="error"/> whatever the request's <c>Accept</c> header says.</summary>
    public static Task WriteAsync(HttpContext context, ApiError error)
    {
        var response = context.Response;
        response.StatusCode = error.Status;
        if (error.Challenge is not null)
            response.Headers.WWWAuthenticate = error.Challenge.Render(context);
        if (error.RetryAfter is { } retryAfter)
            response.Headers.RetryAfter = RetryAfterSeconds(retryAfter);
        return response.WriteAsJsonAsync(ProblemBody.From(error, context), ProblemJson.Default.ProblemBody, ProblemBody.ContentType, context.RequestAborted);
    }

    public static string RetryAfterSeconds(TimeSpan wait) =>
        Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
