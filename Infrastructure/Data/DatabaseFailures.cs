using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace MySecureApi.Infrastructure.Data;

/// <summary>Which exceptions mean "the database cannot answer right now" (a 503), as opposed to a bug (a 500).</summary>
public static class DatabaseFailures
{
    public static bool IsUnavailable(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case TimeoutException or SocketException:
                case NpgsqlException { IsTransient: true }:
                case PostgresException { SqlState: var state } when state.StartsWith("08", StringComparison.Ordinal) || state.StartsWith("53", StringComparison.Ordinal) || state.StartsWith("57P", StringComparison.Ordinal):
                case SqliteException { SqliteErrorCode: 5 or 6 or 10 or 13 or 14 }: // busy, locked, I/O error, full, cannot open
                    return true;
                case NpgsqlException { InnerException: null } when e is not PostgresException:
                    return true;
            }
        }
        return false;
    }

    /// <summary>A unique constraint refused the write (SQLite: SQLITE_CONSTRAINT; PostgreSQL: 23505).</summary>
    public static bool IsUniqueViolation(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            if (e is SqliteException { SqliteErrorCode: 19 } or PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
                return true;
        return false;
    }
}
