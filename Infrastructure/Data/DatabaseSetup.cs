using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using MySecureApi.Infrastructure.Hosting;

namespace MySecureApi.Infrastructure.Data;

/// <summary>
/// A relational store for a feature's <c>DbContext</c>: SQLite by default, PostgreSQL when configured —
/// each provider with its own context subclass and migrations — migrated at start-up, checked by readiness, and
/// answering 503 <c>temporarily_unavailable</c> (never 500) while the database cannot be reached.
/// </summary>
public static class DatabaseSetup
{
    public static IServiceCollection AddRelationalStore<TContext, TSqlite, TPostgres>(this IServiceCollection services)
        where TContext : DbContext where TSqlite : TContext where TPostgres : TContext
    {
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<DatabaseOptions>, DatabaseOptionsSetup>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>());
        services.AddDbContextPool<TSqlite>(Use);
        services.AddDbContextPool<TPostgres>(Use);
        services.AddScoped<TContext>(sp => sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider == DatabaseProvider.Sqlite
            ? sp.GetRequiredService<TSqlite>()
            : sp.GetRequiredService<TPostgres>());
        services.AddSingleton<DatabaseMigrator<TContext>>();
        services.AddHostedService(sp => sp.GetRequiredService<DatabaseMigrator<TContext>>());
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck<TContext>>(DatabaseHealthCheck<TContext>.Name, HealthStatus.Degraded, [HealthTags.Ready]);
        services.AddExceptionHandler<DatabaseUnavailableHandler>();
        return services;
    }

    private static void Use(IServiceProvider services, DbContextOptionsBuilder builder)
    {
        var options = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        if (options.Provider == DatabaseProvider.Sqlite)
            builder.UseSqlite(options.ConnectionString, sqlite => sqlite.CommandTimeout(options.CommandTimeoutSeconds))
                .AddInterceptors(SqliteDurability.Instance);
        else
            builder.UseNpgsql(options.ConnectionString, npgsql => npgsql.CommandTimeout(options.CommandTimeoutSeconds));
    }
}
