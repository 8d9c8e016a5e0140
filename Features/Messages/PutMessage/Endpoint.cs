using FastEndpoints;
using Microsoft.EntityFrameworkCore;
using MySecureApi.Features.Messages.Data;
using MySecureApi.Infrastructure.Auth;
using MySecureApi.Infrastructure.Errors;
using MySecureApi.Infrastructure.Hosting;

namespace MySecureApi.Features.Messages.PutMessage;

/// <summary>
/// Replaces a message's text: only its author or an admin may, and with <c>If-Match</c> only from its current version
/// (412 otherwise, so two clients editing the same version cannot overwrite each other silently).
/// </summary>
internal sealed class Endpoint(MessagesDbContext db, TimeProvider time) : Endpoint<Request, Message>
{
    public override void Configure()
    {
        Put("/api/messages/{id:long}");
        Permissions(Allow.WriteMessages);
        PreProcessor<AuthorOrAdmin<Request>>();
        this.MaxBodySize(MessageText.MaxBodyBytes);
        Tags("Messages");
        Summary(s => s.Summary = "Replace a message's text");
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var record = (MessageRecord)HttpContext.Items[AuthorOrAdmin<Request>.Loaded]!;
        var ifMatch = HttpContext.Request.Headers.IfMatch;
        if (ifMatch.Count > 0 && !MessageETag.IfMatch(ifMatch, MessageETag.Of(record)))
        {
            await Send.ErrorAsync(ApiErrors.PreconditionFailed);
            return;
        }
        var text = MessageText.Normalize(req.Text!);
        while (true)
        {
            record.Text = text;
            record.UpdatedAt = Message.Now(time);
            record.Version++;
            try
            {
                // The update carries the version read: a concurrent change makes it match no row.
                await db.SaveChangesAsync(ct);
                break;
            }
            catch (DbUpdateConcurrencyException) when (ifMatch.Count > 0)
            {
                await Send.ErrorAsync(ApiErrors.PreconditionFailed);
                return;
            }
            catch (DbUpdateConcurrencyException)
            {
                // No version was named: the last writer wins, so apply the text to what is there now.
                await db.Entry(record).ReloadAsync(ct);
                if (db.Entry(record).State == EntityState.Detached)
                {
                    await Send.ErrorAsync(ApiErrors.NotFound);
                    return;
                }
            }
        }
        HttpContext.Response.Headers.ETag = MessageETag.Of(record);
        await Send.OkAsync(Message.From(record), ct);
    }
}
