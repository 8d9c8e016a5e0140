using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MySecureApi.Infrastructure.Data;

/// <summary>
/// Applies the migrations at start-up (EF Core takes a lock, so instances starting together do not race): the first
/// attempt is awaited for a few seconds — SQLite is ready at once — and while the database cannot be reached it keeps
/// trying in the background, so an instance started before its database still comes up and serves the other routes.
/// </summary>
public sealed class DatabaseMigrator<TContext>(IServiceScopeFactory scopes, IOptions<DatabaseOptions> options, ILogger<DatabaseMigrator<TContext>> logger)
    : BackgroundService where TContext : DbContext
{
    private static readonly TimeSpan FirstAttempt = TimeSpan.FromSeconds(10);
    private readonly TaskCompletionSource migrated = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>True once the schema is current.</summary>
    public bool Migrated => migrated.Task.IsCompletedSuccessfully;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await base.StartAsync(cancellationToken);
        await Task.WhenAny(migrated.Task, Task.Delay(FirstAttempt, cancellationToken));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var wait = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await MigrateAsync(stoppingToken);
                migrated.TrySetResult();
                return;
            }
            catch (Exception e) when (DatabaseFailures.IsUnavailable(e) && !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("The {Provider} database cannot be reached to migrate it ({Cause}); retrying in {Seconds} s",
                    options.Value.Provider, e.GetType().Name, wait.TotalSeconds);
                await Task.Delay(wait, stoppingToken);
                wait = TimeSpan.FromSeconds(Math.Min(wait.TotalSeconds * 2, 30));
            }
        }
    }

    /// <summary>Migrates now (also <c>dotnet run -- migrate</c>).</summary>
    public async Task MigrateAsync(CancellationToken cancel)
    {
        if (options.Value.Provider == DatabaseProvider.Sqlite)
            CreateFolder(options.Value.ConnectionString);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        await db.Database.MigrateAsync(cancel);
        if (options.Value.Provider == DatabaseProvider.Sqlite)
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancel);
        logger.LogInformation("The {Provider} database is migrated", options.Value.Provider);
    }

    private static void CreateFolder(string connectionString)
    {
        var file = new SqliteConnectionStringBuilder(connectionString).DataSource;
        if (Path.GetDirectoryName(file) is { Length: > 0 } folder)
            Directory.CreateDirectory(folder);
    }
}
