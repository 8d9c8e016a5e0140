using System.Collections.Concurrent;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;
using MySecureApi.Features.Messages.Data;
using MySecureApi.Infrastructure.Auth.Access;

namespace MySecureApi.Features.Messages.GetMessages;

/// <summary>The messages in ascending id, a page at a time (keyset: the cursor is where the last page ended).</summary>
internal sealed class Endpoint(MessagesDbContext db) : Endpoint<Request, Response>
{
    /// <summary>
    /// The page query, translated once rather than on every request — once per provider's context type, since a
    /// compiled query keeps the model it was first run with; untracked rows, read in id order.
    /// </summary>
    private static readonly ConcurrentDictionary<Type, Func<MessagesDbContext, long, int, IAsyncEnumerable<MessageRecord>>> Pages = new();

    private static Func<MessagesDbContext, long, int, IAsyncEnumerable<MessageRecord>> PageQuery(Type context) => EF.CompileAsyncQuery(
        (MessagesDbContext db, long after, int take) => db.Messages.AsNoTracking().Where(m => m.Id > after).OrderBy(m => m.Id).Take(take));

    public override void Configure()
    {
        Get("/api/messages");
        Permissions(Allow.ReadMessages);
        Tags("Messages");
        Summary(s =>
        {
            s.Summary = "List messages";
            s.Response<Response>(200, "A page of messages in ascending id; nextCursor continues it (null on the last page)");
            s.Response(503, "The database is unavailable (temporarily_unavailable); Retry-After");
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var limit = req.Limit ?? Request.DefaultLimit;
        var after = req.Cursor is null ? 0 : Cursor.Decode(req.Cursor)!.Value;
        var messages = new List<Message>(limit);
        string? next = null;
        await foreach (var record in Pages.GetOrAdd(db.GetType(), PageQuery)(db, after, limit + 1).WithCancellation(ct))
        {
            if (messages.Count == limit)
                next = Cursor.Encode(messages[^1].Id);
            else
                messages.Add(Message.From(record));
        }
        await Send.OkAsync(new Response(messages, next), ct);
    }
}
