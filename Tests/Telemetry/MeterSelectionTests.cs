using System.Net;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using MySecureApi.Tests.Fixtures;
using OpenTelemetry.Metrics;

namespace MySecureApi.Tests.Telemetry;

/// <summary>The meters exported by default, and more by name with <c>Metrics:AdditionalMeters</c>.</summary>
public sealed class MeterSelectionTests(AppFixture app)
{
    private async Task<List<string>> ExportedMetricsAsync(params (string Key, string? Value)[] settings)
    {
        var exported = new List<Metric>();
        await using var host = app.With("Production", settings).WithWebHostBuilder(b =>
        {
            b.UseSetting("OTEL_EXPORTER_OTLP_ENDPOINT", $"http://127.0.0.1:{AppProcess.FreeLoopbackPort()}");
            b.ConfigureTestServices(s => s.ConfigureOpenTelemetryMeterProvider(m => m.AddInMemoryExporter(exported)));
        });
        Assert.Equal(HttpStatusCode.OK, (await host.CreateClient().GetWithTokenAsync("/api/private", app.Token().Build())).StatusCode);
        host.Services.GetRequiredService<MeterProvider>().ForceFlush();
        lock (exported)
            return exported.Select(m => m.Name).Distinct().ToList();
    }

    [Fact]
    public async Task Request_durations_are_exported_and_per_request_framework_counters_are_not_by_default()
    {
        var names = await ExportedMetricsAsync();

        Assert.Contains("http.server.request.duration", names);
        Assert.Contains("mysecureapi.auth.tokens_checked", names);
        Assert.DoesNotContain("aspnetcore.routing.match_attempts", names);
    }

    [Fact]
    public async Task Additional_meters_are_exported_when_named()
    {
        var names = await ExportedMetricsAsync(("Metrics:AdditionalMeters:0", "Microsoft.AspNetCore.Routing"));

        Assert.Contains("aspnetcore.routing.match_attempts", names);
        Assert.Contains("http.server.request.duration", names);
    }
}
