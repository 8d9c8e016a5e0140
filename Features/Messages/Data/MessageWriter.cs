using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MySecureApi.Infrastructure.Data;

namespace MySecureApi.Features.Messages.Data;

/// <summary>
/// Creates messages, exactly once per <c>Idempotency-Key</c>: the key (per <c>sub</c>, 24 h) is stored in the same
/// transaction as the message, with the response to replay, so the database — not process memory — decides, whichever
/// instance a retry reaches. A key being processed by a transaction elsewhere is reported as in use (PostgreSQL: a
/// transaction-scoped advisory lock; SQLite serializes writers, so a retry there waits and then sees the result).
/// </summary>
internal sealed class MessageWriter(MessagesDbContext db, TimeProvider time)
{
    public static readonly TimeSpan KeyLifetime = TimeSpan.FromHours(24);

    public abstract record Outcome;

    public sealed record Created(MessageRecord Record) : Outcome;

    public sealed record Replayed(Message Message, string ETag) : Outcome;

    public sealed record KeyReused : Outcome;

    public sealed record KeyInUse : Outcome;

    public async Task<Outcome> CreateAsync(string author, string? actor, string text, string? idempotencyKey, CancellationToken ct)
    {
        if (idempotencyKey is null)
        {
            var record = NewRecord(author, actor, text);
            db.Messages.Add(record);
            await db.SaveChangesAsync(ct);
            return new Created(record);
        }

        var subjectHash = Sha256(author);
        var requestHash = Sha256(text);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await CreateOnceAsync(author, actor, text, subjectHash, idempotencyKey, requestHash, ct);
            }
            catch (DbUpdateException e) when (attempt == 0 && DatabaseFailures.IsUniqueViolation(e))
            {
                // Another request stored the same key first: read what it stored.
                db.ChangeTracker.Clear();
            }
        }
    }

    private async Task<Outcome> CreateOnceAsync(string author, string? actor, string text, string subjectHash, string key, string requestHash, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (db.Database.IsNpgsql() && !await TryLockAsync(subjectHash, key, ct))
            return new KeyInUse();

        var stored = await db.IdempotencyKeys.FirstOrDefaultAsync(k => k.SubjectHash == subjectHash && k.Key == key, ct);
        if (stored is not null && stored.CreatedAt > time.GetUtcNow().UtcDateTime - KeyLifetime)
            return stored.RequestHash == requestHash
                ? new Replayed(JsonSerializer.Deserialize<Message>(stored.ResponseBody, Json)!, stored.ETag)
                : new KeyReused();
        if (stored is not null)
            db.IdempotencyKeys.Remove(stored);

        var record = NewRecord(author, actor, text);
        db.Messages.Add(record);
        await db.SaveChangesAsync(ct);
        db.IdempotencyKeys.Add(new IdempotencyRecord
        {
            SubjectHash = subjectHash, Key = key, RequestHash = requestHash, MessageId = record.Id,
            ResponseBody = JsonSerializer.Serialize(Message.From(record), Json), ETag = MessageETag.Of(record), CreatedAt = record.CreatedAt,
        });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new Created(record);
    }

    private async Task<bool> TryLockAsync(string subjectHash, string key, CancellationToken ct)
    {
        var lockId = BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes($"{subjectHash}:{key}")));
        return await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_xact_lock({lockId}) AS \"Value\"").SingleAsync(ct);
    }

    private MessageRecord NewRecord(string author, string? actor, string text)
    {
        var now = Message.Now(time);
        return new MessageRecord { Text = text, Author = author, Actor = actor, CreatedAt = now, UpdatedAt = now, Version = 1 };
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
