using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace MySecureApi.Features.Messages.Data;

/// <summary>For <c>dotnet ef migrations add … --context SqliteMessagesDbContext</c>: no database is opened.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteMessagesDbContext>
{
    public SqliteMessagesDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteMessagesDbContext>().UseSqlite("Data Source=design-time.db").Options);
}
