using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using MySecureApi.Infrastructure.Auth.Tokens;
using MySecureApi.Infrastructure.Telemetry;
using MySecureApi.Tests.Fixtures;

namespace MySecureApi.Tests.Auth;

/// <summary>Auth failures are counted by error and fixed reason on the <c>MySecureApi.Auth</c> meter.</summary>
public sealed class AuthMetricsTests(AppFixture app) : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly ConcurrentQueue<(string Instrument, string? Error, string? Reason)> measurements = new();

    public void Dispose() => listener.Dispose();

    [Fact]
    public async Task Failures_are_counted_by_error_and_reason()
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ApiMetrics.MeterName)
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, _, tags, _) =>
        {
            var all = tags.ToArray();
            measurements.Enqueue((instrument.Name, all.FirstOrDefault(t => t.Key == "error").Value as string, all.FirstOrDefault(t => t.Key == "reason").Value as string));
        });
        listener.Start();
        var ct = Ct;
        var marker = app.Token().ExpiresIn(TimeSpan.FromMinutes(-10));

        await app.Client(marker.Build()).GetAsync("/api/private", ct);
        await app.Client(app.Token().Build()).GetAsync("/api/messages", ct);
        await app.Client().GetAsync("/api/private", ct);

        var failures = measurements.Where(m => m.Instrument == "mysecureapi.auth.failures").ToList();
        Assert.Contains(("mysecureapi.auth.failures", "invalid_token", TokenFailure.Expired), failures);
        Assert.Contains(("mysecureapi.auth.failures", "insufficient_scope", "Insufficient Scope"), failures);
        Assert.Contains(("mysecureapi.auth.failures", "unauthorized", "unauthorized"), failures);
    }
}
