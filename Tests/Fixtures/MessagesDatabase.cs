using System.Net.Http.Headers;
using Microsoft.AspNetCore.Mvc.Testing;

namespace MySecureApi.Tests.Fixtures;

/// <summary>Where a messages test keeps its data: a fresh SQLite file, or a fresh database on a real PostgreSQL server.</summary>
public abstract class MessagesDatabase
{
    public abstract string Name { get; }

    /// <summary>The settings of a new, empty database (migrated by the host that uses it).</summary>
    public abstract (string Key, string? Value)[] NewDatabase();

    public static MessagesDatabase Sqlite { get; } = new SqliteDatabase();

    public static MessagesDatabase Postgres(PostgresServer server) => new PostgresDatabase(server);

    /// <summary>A host of the app on a new database of this kind, with extra settings.</summary>
    public WebApplicationFactory<Program> Host(AppFixture app, params (string Key, string? Value)[] settings) =>
        app.With("Production", [.. NewDatabase(), .. settings]);

    private sealed class SqliteDatabase : MessagesDatabase
    {
        public override string Name => "SQLite";

        public override (string, string?)[] NewDatabase() =>
            [("Database:SqlitePath", TestFiles.NewSqlitePath())];
    }

    private sealed class PostgresDatabase(PostgresServer server) : MessagesDatabase
    {
        public override string Name => "PostgreSQL";

        public override (string, string?)[] NewDatabase() => [("DATABASE_URL", server.Url($"m_{Guid.NewGuid():N}"))];
    }
}

/// <summary>A client of one host acting for one caller (its token's <c>sub</c> and scopes).</summary>
public static class MessagesClients
{
    public const string ReadWrite = "read:messages write:messages";

    public static HttpClient ClientFor(this WebApplicationFactory<Program> host, AppFixture app, string sub, string scope = ReadWrite,
        Action<TokenBuilder>? edit = null)
    {
        var token = app.Token().With("sub", sub).Scope(scope);
        edit?.Invoke(token);
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Build());
        return client;
    }
}
