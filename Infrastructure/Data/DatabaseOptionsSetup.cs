using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MySecureApi.Infrastructure.Data;

/// <summary>Resolves <see cref="DatabaseOptions.ConnectionString"/>: <c>DATABASE_URL</c>, else <c>ConnectionStrings:Messages</c>, else the SQLite file.</summary>
internal sealed class DatabaseOptionsSetup(IConfiguration configuration, IHostEnvironment environment) : IPostConfigureOptions<DatabaseOptions>
{
    public void PostConfigure(string? name, DatabaseOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.Url))
        {
            options.Provider = DatabaseProvider.PostgreSQL;
            options.ConnectionString = FromUrl(options.Url.Trim(), options);
            return;
        }
        var named = configuration.GetConnectionString(DatabaseOptions.ConnectionStringName);
        if (!string.IsNullOrWhiteSpace(named))
        {
            options.ConnectionString = options.Provider == DatabaseProvider.PostgreSQL ? WithTimeouts(named, options) : named;
            return;
        }
        if (options.Provider == DatabaseProvider.Sqlite)
            options.ConnectionString = new SqliteConnectionStringBuilder
            {
                DataSource = Path.GetFullPath(options.SqlitePath, environment.ContentRootPath),
                Mode = SqliteOpenMode.ReadWriteCreate,
                DefaultTimeout = options.CommandTimeoutSeconds,
            }.ToString();
    }

    /// <summary><c>postgres[ql]://user:password@host[:port]/database[?sslmode=…]</c> as an Npgsql connection string; empty when it is not one.</summary>
    internal static string FromUrl(string url, DatabaseOptions options)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("postgres" or "postgresql") || uri.Host.Length == 0)
            return "";
        var credentials = uri.UserInfo.Split(':', 2);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')),
            Username = credentials[0].Length > 0 ? Uri.UnescapeDataString(credentials[0]) : null,
            Password = credentials.Length > 1 ? Uri.UnescapeDataString(credentials[1]) : null,
        };
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
            if (pair.Split('=', 2) is ["sslmode", var mode] && Enum.TryParse<SslMode>(mode, ignoreCase: true, out var sslMode))
                builder.SslMode = sslMode;
        return WithTimeouts(builder.ToString(), options);
    }

    private static string WithTimeouts(string connectionString, DatabaseOptions options) => new NpgsqlConnectionStringBuilder(connectionString)
    {
        Timeout = options.ConnectTimeoutSeconds,
        CommandTimeout = options.CommandTimeoutSeconds,
    }.ToString();
}
