using System.Diagnostics;

namespace MySecureApi.Infrastructure.Telemetry;

/// <summary>
/// Makes ASP.NET Core start an activity per request (ids only, nothing recorded) while the app runs, so that log
/// scopes carry <c>TraceId</c>/<c>SpanId</c> — continuing an incoming <c>traceparent</c> — even with tracing off.
/// </summary>
internal sealed class RequestActivities : IHostedService, IDisposable
{
    private readonly ActivityListener listener = new()
    {
        ShouldListenTo = source => source.Name == "Microsoft.AspNetCore",
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.PropagationData,
    };

    public Task StartAsync(CancellationToken cancellationToken)
    {
        ActivitySource.AddActivityListener(listener);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => listener.Dispose();
}
