using FastEndpoints;
using Microsoft.EntityFrameworkCore;
using MySecureApi.Features.Messages.Data;
using MySecureApi.Infrastructure.Auth;

namespace MySecureApi.Features.Messages.GetMessages;

/// <summary>The messages in ascending id, a page at a time (keyset: the cursor is where the last page ended).</summary>
internal sealed class Endpoint(MessagesDbContext db) : Endpoint<Request, Response>
{
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
        var page = await db.Messages.AsNoTracking().Where(m => m.Id > after).OrderBy(m => m.Id).Take(limit + 1).ToListAsync(ct);
        var next = page.Count > limit ? Cursor.Encode(page[limit - 1].Id) : null;
        await Send.OkAsync(new Response(page.Take(limit).Select(Message.From).ToList(), next), ct);
    }
}
