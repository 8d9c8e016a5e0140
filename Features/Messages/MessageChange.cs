using Microsoft.EntityFrameworkCore;
using MySecureApi.Features.Messages.Data;

namespace MySecureApi.Features.Messages;

/// <summary>
/// Changes a loaded message under optimistic concurrency: the write carries the version read, so a concurrent change
/// makes it match no row. With <c>If-Match</c> that is 412 (the caller named a version); without, the last writer wins
/// and the change is applied again to what is there now — unless it is gone.
/// </summary>
internal static class MessageChange
{
    public enum Outcome
    {
        Saved,
        Stale,
        Gone,
    }

    public static async Task<Outcome> SaveAsync(MessagesDbContext db, MessageRecord record, string? ifMatch, Action<MessageRecord> change, CancellationToken ct)
    {
        if (ifMatch is not null && !MessageETag.IfMatch(ifMatch, MessageETag.Of(record)))
            return Outcome.Stale;
        while (true)
        {
            change(record);
            try
            {
                await db.SaveChangesAsync(ct);
                return Outcome.Saved;
            }
            catch (DbUpdateConcurrencyException) when (ifMatch is not null)
            {
                return Outcome.Stale;
            }
            catch (DbUpdateConcurrencyException)
            {
                await db.Entry(record).ReloadAsync(ct);
                if (db.Entry(record).State == EntityState.Detached)
                    return Outcome.Gone;
            }
        }
    }
}
