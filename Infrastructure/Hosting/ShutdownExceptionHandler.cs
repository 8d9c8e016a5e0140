
namespace MySecureApi.Infrastructure.Hosting;

/// <summary>
/// A request whose body was still arriving when the listener closed: Kestrel cancels that read (HTTP/1.1), and the
/// client gets 503 with <c>Retry-After</c> and <c>Connection: close</c> — retry elsewhere — rather than a 500.
/// </summary>
internal sealed class ShutdownExceptionHandler(GracefulShutdown shutdown, ILogger<ShutdownExceptionHandler> logger) : Microsoft.AspNetCore.Diagnostics.IExceptionHandler
{
    public static readonly Errors.ApiError ShuttingDown = Errors.ApiErrors.Unavailable("The service is shutting down", null, TimeSpan.FromSeconds(1));

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not OperationCanceledException || !shutdown.Stopping || context.RequestAborted.IsCancellationRequested)
            return false;
        logger.LogInformation("{Method} {Path} was cut short by the shutdown: answered 503", context.Request.Method, context.Request.Path);
        context.Response.Headers.Connection = "close";
        await Errors.ErrorResponder.WriteAsync(context, ShuttingDown);
        return true;
    }
}
