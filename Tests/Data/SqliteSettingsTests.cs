using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MySecureApi.Features.Messages.Data;
using MySecureApi.Tests.Fixtures;

namespace MySecureApi.Tests.Data;

/// <summary>The embedded store commits durably: WAL journal, synchronous=FULL on every connection, a busy timeout for writers.</summary>
public sealed class SqliteSettingsTests(AppFixture app)
{
    [Fact]
    public async Task Connections_use_wal_and_full_synchronous_commits()
    {
        await using var host = MessagesDatabase.Sqlite.Host(app);
        host.CreateClient();
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MessagesDbContext>();
        await db.Database.OpenConnectionAsync(Ct);

        Assert.Equal("wal", await db.Database.SqlQueryRaw<string>("SELECT journal_mode AS Value FROM pragma_journal_mode").SingleAsync(Ct));
        Assert.Equal(2L, await db.Database.SqlQueryRaw<long>("SELECT synchronous AS Value FROM pragma_synchronous").SingleAsync(Ct));
        Assert.Equal(5000L, await db.Database.SqlQueryRaw<long>("SELECT timeout AS Value FROM pragma_busy_timeout").SingleAsync(Ct));
    }
}
