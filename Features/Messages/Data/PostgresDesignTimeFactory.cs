using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace MySecureApi.Features.Messages.Data;

/// <summary>For <c>dotnet ef migrations add … --context PostgresMessagesDbContext</c>: no database is opened.</summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresMessagesDbContext>
{
    public PostgresMessagesDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresMessagesDbContext>().UseNpgsql("Host=localhost;Database=design_time").Options);
}
