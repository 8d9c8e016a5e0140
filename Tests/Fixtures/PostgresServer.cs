using System.Diagnostics;
using System.Net.Sockets;

[assembly: AssemblyFixture(typeof(MySecureApi.Tests.Fixtures.PostgresServer))]

namespace MySecureApi.Tests.Fixtures;

/// <summary>
/// A real PostgreSQL (Debian's <c>postgresql</c> package): <c>initdb</c> into a temporary folder owned by the
/// <c>postgres</c> user (the server refuses to run as root), on 127.0.0.1 and a free port; stoppable (gently, or at once
/// as in a crash) and restartable mid-test; removed afterwards.
/// </summary>
public sealed class PostgresServer : IDisposable
{
    private readonly string bin = FindBin();
    private readonly string root = Directory.CreateTempSubdirectory("mysecureapi-pg-").FullName;
    private readonly bool asPostgres = Environment.UserName == "root";

    public PostgresServer()
    {
        Port = AppProcess.FreeLoopbackPort();
        Directory.CreateDirectory(Data);
        Directory.CreateDirectory(Sockets);
        if (asPostgres)
            Run("chown", "-R", "postgres:postgres", root);
        Pg(Path.Combine(bin, "initdb"), "-D", Data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8");
        File.AppendAllText(Path.Combine(Data, "postgresql.conf"), "\nfsync = on\nmax_connections = 200\nlisten_addresses = '127.0.0.1'\n");
        Start();
    }

    public int Port { get; }

    private string Data => Path.Combine(root, "data");

    private string Sockets => Path.Combine(root, "sockets");

    /// <summary>A <c>DATABASE_URL</c> for a database of its own: the app's migrator creates it on first use.</summary>
    public string Url(string database) => $"postgres://postgres@127.0.0.1:{Port}/{database}";

    public void Start()
    {
        Pg(Path.Combine(bin, "pg_ctl"), "-D", Data, "-l", Path.Combine(root, "server.log"), "-w", "-t", "30",
            "-o", $"-p {Port} -k {Sockets} -h 127.0.0.1", "start");
        for (var i = 0; i < 100 && !Answers(); i++)
            Thread.Sleep(50);
    }

    /// <summary>Stops the server: <c>fast</c> (clean) or <c>immediate</c> (as a crash).</summary>
    public void Stop(bool immediate = false) =>
        Pg(Path.Combine(bin, "pg_ctl"), "-D", Data, "-m", immediate ? "immediate" : "fast", "-w", "stop");

    private bool Answers()
    {
        try
        {
            using var tcp = new TcpClient("127.0.0.1", Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private void Pg(string program, params string[] args)
    {
        if (asPostgres)
            Run("runuser", ["-u", "postgres", "--", program, .. args]);
        else
            Run(program, args);
    }

    private static void Run(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/" };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed ({process.ExitCode}): {stderr.Result}");
    }

    private static string FindBin() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(v => Path.Combine(v, "bin")).Where(b => File.Exists(Path.Combine(b, "initdb"))).OrderDescending().FirstOrDefault()
              ?? throw new InvalidOperationException("no PostgreSQL server binaries under /usr/lib/postgresql (apt-get install postgresql)")
            : throw new InvalidOperationException("PostgreSQL is not installed (apt-get install postgresql)");

    public void Dispose()
    {
        try
        {
            Stop(immediate: true);
        }
        catch (InvalidOperationException)
        {
            // already stopped
        }
        Directory.Delete(root, recursive: true);
    }
}
