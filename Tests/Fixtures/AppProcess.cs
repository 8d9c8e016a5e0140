using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MySecureApi.Tests.Fixtures;

/// <summary>Runs the built app as its own process (<c>dotnet MySecureApi.dll</c>), as a user would start it.</summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process process;

    private readonly System.Text.StringBuilder stdout = new();
    private readonly System.Text.StringBuilder stderr = new();

    /// <summary>Reads the output as it comes: a process whose pipe is full would block on its next log line.</summary>
    private AppProcess(Process process)
    {
        this.process = process;
        process.OutputDataReceived += (_, e) => Append(stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(stderr, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    private static void Append(System.Text.StringBuilder buffer, string? line)
    {
        if (line is null)
            return;
        lock (buffer)
            buffer.Append(line).Append('\n');
    }

    private static string Read(System.Text.StringBuilder buffer)
    {
        lock (buffer)
            return buffer.ToString();
    }

    public int Id => process.Id;

    /// <summary>Resident memory of the process now, in MB (Linux: <c>/proc/&lt;pid&gt;/status</c>).</summary>
    public double ResidentMegabytes()
    {
        var line = File.ReadLines($"/proc/{process.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024.0;
    }

    public static AppProcess Start(string workingDirectory, IReadOnlyDictionary<string, string?> environment, params string[] args) =>
        Start(Path.Combine(AppContext.BaseDirectory, "MySecureApi.dll"), workingDirectory, environment, args);

    /// <summary>
    /// The Release build of the sources under test, as it would be deployed (built here; an incremental no-op when
    /// <c>scripts/test.sh</c> has built it already).
    /// </summary>
    public static AppProcess StartRelease(string workingDirectory, IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var project = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", ".."));
        using var build = Process.Start(new ProcessStartInfo("dotnet", ["build", "-c", "Release", "-v", "q", "-nologo", Path.Combine(project, "MySecureApi.csproj")])
        {
            RedirectStandardOutput = true,
        })!;
        var log = build.StandardOutput.ReadToEnd();
        build.WaitForExit();
        if (build.ExitCode != 0)
            throw new InvalidOperationException($"the Release build failed:\n{log}");
        return Start(Path.Combine(project, "bin", "Release", "net10.0", "MySecureApi.dll"), workingDirectory, environment, args);
    }

    private static AppProcess Start(string dll, string workingDirectory, IReadOnlyDictionary<string, string?> environment, string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("AUTH0_", StringComparison.Ordinal) || k.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || k is "PORT" or "ALLOWED_ORIGIN" or "DOTNET_ENVIRONMENT").ToList())
            start.Environment.Remove(name);
        // Tests stop their processes at once unless they test the readiness delay itself.
        start.Environment["Shutdown__ReadinessDelaySeconds"] = "0";
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        return new AppProcess(Process.Start(start)!);
    }

    /// <summary>Waits for the process to exit (it should, on bad configuration) and returns its exit code and output.</summary>
    public async Task<(int ExitCode, string StdOut, string StdErr)> ExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cts.Token);
        // Without a timeout, WaitForExit also waits for the redirected streams to reach their end.
        process.WaitForExit();
        return (process.ExitCode, Read(stdout), Read(stderr));
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
