using Microsoft.AspNetCore.Diagnostics;
using MySecureApi.Infrastructure.Errors;

namespace MySecureApi.Infrastructure.Data;

/// <summary>The database being unreachable is a 503 <c>temporarily_unavailable</c> with <c>Retry-After</c>, never a 500.</summary>
internal sealed class DatabaseUnavailableHandler(ILogger<DatabaseUnavailableHandler> logger) : IExceptionHandler
{
    public static readonly ApiError Unavailable = ApiErrors.Unavailable(
        "The database is unavailable right now", "The request could not be completed; nothing was changed", TimeSpan.FromSeconds(5));

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (!DatabaseFailures.IsUnavailable(exception))
            return false;
        logger.LogWarning("The database did not answer {Method} {Path} ({Cause}), traceId {TraceId}",
            context.Request.Method, context.Request.Path, exception.GetType().Name, RequestTrace.Id(context));
        await ErrorResponder.WriteAsync(context, Unavailable);
        return true;
    }
}
