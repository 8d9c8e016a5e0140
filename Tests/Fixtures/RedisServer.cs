using System.Diagnostics;
using System.Net.Sockets;

namespace MySecureApi.Tests.Fixtures;

/// <summary>A real <c>redis-server</c> (Debian's package) on 127.0.0.1 and a free port, stoppable and restartable mid-test.</summary>
public sealed class RedisServer : IDisposable
{
    private Process? process;

    public RedisServer()
    {
        Port = AppProcess.FreeLoopbackPort();
        Start();
    }

    public int Port { get; }

    public string Url => $"redis://127.0.0.1:{Port}";

    public void Start()
    {
        var start = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
                     "--save", "", "--appendonly", "no", "--protected-mode", "yes" })
            start.ArgumentList.Add(arg);
        process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start (apt-get install redis-server)");
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        for (var i = 0; i < 100; i++)
        {
            if (Answers())
                return;
            Thread.Sleep(50);
        }
        throw new InvalidOperationException($"redis-server is not answering on 127.0.0.1:{Port}");
    }

    public void Stop()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        process?.Dispose();
        process = null;
    }

    private bool Answers()
    {
        try
        {
            using var tcp = new TcpClient("127.0.0.1", Port);
            using var stream = tcp.GetStream();
            stream.Write("PING\r\n"u8);
            var buffer = new byte[16];
            return stream.Read(buffer) > 0 && buffer[0] == (byte)'+';
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public void Dispose() => Stop();
}
