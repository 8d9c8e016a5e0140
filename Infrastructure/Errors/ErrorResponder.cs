using System.Text.Json;

namespace MySecureApi.Infrastructure.Errors;

/// <summary>Writes every error response of the API; nothing else builds error bodies.</summary>
public static class ErrorResponder
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Writes <paramref name="error"/> whatever the request's <c>Accept</c> header says.</summary>
    public static Task WriteAsync(HttpContext context, ApiError error)
    {
        var response = context.Response;
        response.StatusCode = error.Status;
        if (error.Challenge is not null)
            response.Headers.WWWAuthenticate = error.Challenge.Render(context);
        if (error.RetryAfter is { } retryAfter)
            response.Headers.RetryAfter = RetryAfterSeconds(retryAfter);
        return response.WriteAsJsonAsync(ProblemBody.From(error, context), Json, ProblemBody.ContentType, context.RequestAborted);
    }

    public static string RetryAfterSeconds(TimeSpan wait) =>
        Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
