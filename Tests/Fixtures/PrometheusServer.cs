using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace MySecureApi.Tests.Fixtures;

/// <summary>
/// A real Prometheus (Debian's <c>prometheus</c> package) on 127.0.0.1 and a free port, scraping one target every
/// second, with its data in a directory of its own; queried through its HTTP API.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private readonly Process process;
    private readonly string directory = Directory.CreateTempSubdirectory("mysecureapi-prometheus-").FullName;
    private readonly HttpClient client = new() { Timeout = TimeSpan.FromSeconds(5) };

    public PrometheusServer(string target)
    {
        Port = AppProcess.FreeLoopbackPort();
        var config = Path.Combine(directory, "prometheus.yml");
        File.WriteAllText(config, $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
              - job_name: mysecureapi
                static_configs:
                  - targets: ["{target}"]
            """);
        var start = new ProcessStartInfo(Binary) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(directory, "data")}",
                     $"--web.listen-address=127.0.0.1:{Port}" })
            start.ArgumentList.Add(arg);
        process = Process.Start(start) ?? throw new InvalidOperationException("prometheus did not start (apt-get install prometheus)");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>Debian installs the server as <c>/usr/bin/prometheus</c>.</summary>
    private static string Binary => File.Exists("/usr/bin/prometheus") ? "/usr/bin/prometheus" : "prometheus";

    public int Port { get; }

    /// <summary>
    /// The value of an instant query summed over its series, once Prometheus returns at least <paramref name="atLeast"/>
    /// (it scrapes every second), or the last value seen when the time is up.
    /// </summary>
    public async Task<double?> ValueAsync(string query, double atLeast, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        double? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = await QueryAsync(query);
            if (last >= atLeast)
                return last;
            await Task.Delay(250, TestContext.Current.CancellationToken);
        }
        return last;
    }

    /// <summary>Every series of an instant query, as its label sets.</summary>
    public async Task<IReadOnlyList<Dictionary<string, string>>> SeriesAsync(string query)
    {
        var result = await ResultAsync(query);
        return result is null ? [] : [.. result.Value.EnumerateArray().Select(s =>
            s.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!))];
    }

    private async Task<double?> QueryAsync(string query)
    {
        var result = await ResultAsync(query);
        if (result is not { } series || series.GetArrayLength() == 0)
            return null;
        return series.EnumerateArray().Sum(s => double.Parse(s.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture));
    }

    private async Task<JsonElement?> ResultAsync(string query)
    {
        try
        {
            var json = await client.GetStringAsync($"http://127.0.0.1:{Port}/api/v1/query?query={Uri.EscapeDataString(query)}", TestContext.Current.CancellationToken);
            return JsonDocument.Parse(json).RootElement.GetProperty("data").GetProperty("result").Clone();
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        client.Dispose();
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
        Directory.Delete(directory, recursive: true);
    }
}
