using Microsoft.EntityFrameworkCore;

namespace MySecureApi.Features.Messages.Data;

/// <summary>The messages store on PostgreSQL (what several instances share).</summary>
internal sealed class PostgresMessagesDbContext(DbContextOptions<PostgresMessagesDbContext> options) : MessagesDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder model)
    {
        base.OnModelCreating(model);
        // The seed row takes id 1 explicitly, so the identity must start after it.
        model.Entity<MessageRecord>().Property(m => m.Id).UseIdentityByDefaultColumn().HasIdentityOptions(startValue: 2);
    }
}
