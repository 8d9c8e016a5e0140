using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace MySecureApi.Infrastructure.Data;

/// <summary>
/// Every SQLite connection commits durably: <c>synchronous=FULL</c> (a committed transaction survives a process kill and a
/// power cut; the journal mode, WAL, is set once on the file by the migrator) and waits up to 5 s for another writer.
/// </summary>
internal sealed class SqliteDurability : DbConnectionInterceptor
{
    public static readonly SqliteDurability Instance = new();

    private const string Pragmas = "PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private static void Apply(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }
}
