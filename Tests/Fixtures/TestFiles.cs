using Microsoft.Data.Sqlite;

namespace MySecureApi.Tests.Fixtures;

/// <summary>
/// The files the tests' hosts create (SQLite databases): all under one folder per test run, deleted when the run ends
/// (<see cref="AppFixture"/>'s disposal). A folder left by a run that was killed is deleted by the next run.
/// </summary>
public static class TestFiles
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), "mysecureapi-tests");

    private const string RunPrefix = "run-";

    /// <summary>This run's folder, <c>{temp}/mysecureapi-tests/run-{process id}</c>.</summary>
    public static string RunDirectory { get; } = Create();

    /// <summary>A path for a new SQLite database of this run.</summary>
    public static string NewSqlitePath(string prefix = "") => Path.Combine(RunDirectory, $"{prefix}{Guid.NewGuid():N}.db");

    private static string Create()
    {
        Directory.CreateDirectory(Root);
        foreach (var stale in Directory.EnumerateDirectories(Root, RunPrefix + "*").Where(d => !IsRunning(d)))
            TryDelete(stale);
        // Databases of runs from before the per-run folder.
        foreach (var loose in Directory.EnumerateFiles(Root, "*.db*"))
            File.Delete(loose);
        return Directory.CreateDirectory(Path.Combine(Root, RunPrefix + Environment.ProcessId)).FullName;
    }

    /// <summary>Deletes this run's folder; SQLite's pooled connections are closed first so that no file is held open.</summary>
    public static void DeleteRun()
    {
        SqliteConnection.ClearAllPools();
        TryDelete(RunDirectory);
    }

    private static bool IsRunning(string directory) =>
        int.TryParse(Path.GetFileName(directory)[RunPrefix.Length..], out var pid) && pid != Environment.ProcessId && Directory.Exists($"/proc/{pid}");

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Another process still holds a file; the next run tries again.
        }
    }
}
