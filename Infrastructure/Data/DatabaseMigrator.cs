using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
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
        if (db.Database.IsNpgsql())
            await MigrateAloneAsync(db, cancel);
        else
            await db.Database.MigrateAsync(cancel);
        if (options.Value.Provider == DatabaseProvider.Sqlite)
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancel);
        logger.LogInformation("The {Provider} database is migrated", options.Value.Provider);
    }

    /// <summary>Any number that no other advisory lock of this database uses.</summary>
    private const long MigrationLock = 0x4D7953_6563_7572;

    /// <summary>
    /// PostgreSQL: one instance migrates at a time, holding a session advisory lock on the connection the migrations run
    /// on. EF Core's own lock lasts one migration's transaction, so two instances starting on a database two migrations
    /// behind could both apply the second (42701 "column already exists"); the one that waits finds nothing left to do.
    /// </summary>
    private static async Task MigrateAloneAsync(TContext db, CancellationToken cancel)
    {
        // The lock needs a connection, so the database must exist first (MigrateAsync would create it itself).
        var creator = db.GetService<IRelationalDatabaseCreator>();
        if (!await creator.ExistsAsync(cancel))
        {
            try
            {
                await creator.CreateAsync(cancel);
            }
            catch (Npgsql.PostgresException e) when (e.SqlState == Npgsql.PostgresErrorCodes.DuplicateDatabase)
            {
                // Another instance created it first.
            }
        }
        await db.Database.OpenConnectionAsync(cancel);
        try
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({MigrationLock})", cancel);
            try
            {
                await db.Database.MigrateAsync(cancel);
            }
            finally
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({MigrationLock})", CancellationToken.None);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static void CreateFolder(string connectionString)
    {
        var file = new SqliteConnectionStringBuilder(connectionString).DataSource;
        if (Path.GetDirectoryName(file) is { Length: > 0 } folder)
            Directory.CreateDirectory(folder);
    }
}
