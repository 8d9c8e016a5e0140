using Microsoft.EntityFrameworkCore;
using MySecureApi.Infrastructure.Auth.Tokens;

namespace MySecureApi.Features.Messages.Data;

/// <summary>The messages store; one subclass per database provider carries that provider's migrations.</summary>
internal abstract class MessagesDbContext(DbContextOptions options) : DbContext(options)
{
    /// <summary>The seed's message: a fresh database answers what the Express version answers.</summary>
    public static readonly MessageRecord Seed = new()
    {
        Id = 1, Text = "Hello from the API!", Author = "system", Version = 1,
        CreatedAt = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), UpdatedAt = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc),
    };

    public DbSet<MessageRecord> Messages => Set<MessageRecord>();

    public DbSet<IdempotencyRecord> IdempotencyKeys => Set<IdempotencyRecord>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<MessageRecord>(message =>
        {
            message.ToTable("messages");
            message.HasKey(m => m.Id);
            message.Property(m => m.Text).IsRequired().HasMaxLength(2000);
            message.Property(m => m.Author).IsRequired();
            message.Property(m => m.Actor).HasMaxLength(ActorChain.MaxSubjectLength);
            message.Property(m => m.Version).IsConcurrencyToken();
            message.HasData(Seed);
        });
        model.Entity<IdempotencyRecord>(key =>
        {
            key.ToTable("idempotency_keys");
            key.HasKey(k => new { k.SubjectHash, k.Key });
            key.Property(k => k.SubjectHash).HasMaxLength(64);
            key.Property(k => k.Key).HasMaxLength(255);
            key.Property(k => k.RequestHash).HasMaxLength(64);
            key.HasIndex(k => k.CreatedAt);
        });
    }
}
