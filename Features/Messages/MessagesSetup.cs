using MySecureApi.Features.Messages.Data;
using MySecureApi.Infrastructure.Data;

namespace MySecureApi.Features.Messages;

/// <summary>The messages feature's services: its store (SQLite or PostgreSQL), the idempotent writer and its janitor.</summary>
internal static class MessagesSetup
{
    public static IServiceCollection AddMessages(this IServiceCollection services)
    {
        services.AddRelationalStore<MessagesDbContext, SqliteMessagesDbContext, PostgresMessagesDbContext>();
        services.AddScoped<MessageWriter>();
        services.AddHostedService<IdempotencyKeyJanitor>();
        return services;
    }

    /// <summary><c>dotnet run -- migrate</c>: applies the migrations and exits.</summary>
    public static async Task<int> MigrateAsync(IServiceProvider services, TextWriter output)
    {
        await services.GetRequiredService<DatabaseMigrator<MessagesDbContext>>().MigrateAsync(CancellationToken.None);
        await output.WriteLineAsync("The messages database is migrated.");
        return 0;
    }
}
