namespace MySecureApi.Infrastructure.Data;

/// <summary>Which database stores the app's data (<c>Database:*</c>, <c>DATABASE_URL</c>, <c>ConnectionStrings:Messages</c>).</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>The connection string name in <c>ConnectionStrings</c>.</summary>
    public const string ConnectionStringName = "Messages";

    /// <summary><c>Sqlite</c> (default: an embedded file, nothing to install) or <c>PostgreSQL</c> (what several instances share).</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>A <c>postgres://user:password@host:5432/db</c> URL (<c>DATABASE_URL</c>); selects PostgreSQL.</summary>
    public string? Url { get; set; }

    /// <summary>The SQLite file when no connection string is given, relative to the content root.</summary>
    public string SqlitePath { get; set; } = Path.Combine("data", "messages.db");

    /// <summary>How long one command may run, and (PostgreSQL) how long connecting may take, before the request gets 503.</summary>
    public int CommandTimeoutSeconds { get; set; } = 5;

    public int ConnectTimeoutSeconds { get; set; } = 3;

    /// <summary>The resolved connection string (set after binding, from <see cref="Url"/>, the named connection string or the SQLite path).</summary>
    public string ConnectionString { get; set; } = "";
}
