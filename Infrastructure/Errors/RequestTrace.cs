using System.Diagnostics;

namespace MySecureApi.Infrastructure.Errors;

/// <summary>
/// The W3C trace id that error bodies and error logs share. With tracing on (an <see cref="ActivityListener"/>, e.g.
/// OpenTelemetry) it is the request's activity; otherwise — the hosting activity is off by default, because it costs
/// every request — one is made the first time an error needs it, continuing the caller's <c>traceparent</c> when valid.
/// </summary>
public static class RequestTrace
{
    private static readonly object Key = new();

    public static string Id(HttpContext context)
    {
        if (Activity.Current?.Id is { } current)
            return current;
        if (context.Items.TryGetValue(Key, out var made) && made is string id)
            return id;

        var traceId = ActivityContext.TryParse(context.Request.Headers.TraceParent, null, out var parent)
            ? parent.TraceId
            : ActivityTraceId.CreateRandom();
        var fresh = $"00-{traceId.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-00";
        context.Items[Key] = fresh;
        return fresh;
    }
}
