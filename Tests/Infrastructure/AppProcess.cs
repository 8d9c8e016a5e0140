using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MySecureApi.Tests.Infrastructure;

/// <summary>Runs the built app as its own process (<c>dotnet MySecureApi.dll</c>), as a user would start it.</summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process process;

    private AppProcess(Process process) => this.process = process;

    /// <summary>Resident memory of the process now, in MB (Linux: <c>/proc/&lt;pid&gt;/status</c>).</summary>
    public double ResidentMegabytes()
    {
        var line = File.ReadLines($"/proc/{process.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024.0;
    }

    public static AppProcess Start(string workingDirectory, IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "MySecureApi.dll"));
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("AUTH0_", StringComparison.Ordinal) || k.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || k is "PORT" or "ALLOWED_ORIGIN" or "DOTNET_ENVIRONMENT").ToList())
            start.Environment.Remove(name);
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        return new AppProcess(Process.Start(start)!);
    }

    /// <summary>Waits for the process to exit (it should, on bad configuration) and returns its exit code and output.</summary>
    public async Task<(int ExitCode, string StdOut, string StdErr)> ExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var stdout = process.StandardOutput.ReadToEndAsync(cts.Token);
        var stderr = process.StandardError.ReadToEndAsync(cts.Token);
        await process.WaitForExitAsync(cts.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Stops a running app (SIGTERM, as Ctrl+C) and returns what it printed.</summary>
    public async Task<(int ExitCode, string StdOut, string StdErr)> StopAsync(TimeSpan timeout)
    {
        if (!OperatingSystem.IsWindows())
            Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
        return await ExitAsync(timeout);
    }

    /// <summary>Kills the process at once (SIGKILL): no shutdown, no flush — a crash.</summary>
    public async Task KillAsync()
    {
        process.Kill();
        await process.WaitForExitAsync();
    }

    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Polls <paramref name="url"/> until it answers (or the process ends / time runs out).</summary>
    public async Task<HttpResponseMessage> WaitForAsync(string url, TimeSpan timeout)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                return await client.GetAsync(url, Ct);
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(100, Ct);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }
}
