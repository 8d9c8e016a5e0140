using FastEndpoints;
using Microsoft.EntityFrameworkCore;
using MySecureApi.Features.Messages.Data;
using MySecureApi.Infrastructure.Auth;
using MySecureApi.Infrastructure.Errors;

namespace MySecureApi.Features.Messages.DeleteMessage;

/// <summary>Deletes a message: its author or an admin, and with <c>If-Match</c> only its current version.</summary>
internal sealed class Endpoint(MessagesDbContext db) : Endpoint<Request>
{
    public override void Configure()
    {
        Delete("/api/messages/{id:long}");
        Permissions(Allow.WriteMessages);
        PreProcessor<AuthorOrAdmin<Request>>();
        Tags("Messages");
        Summary(s => s.Summary = "Delete a message");
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
        while (true)
        {
            db.Messages.Remove(record);
            try
            {
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
                // Changed meanwhile (delete what is there now) or already deleted (nothing left to do).
                await db.Entry(record).ReloadAsync(ct);
                if (db.Entry(record).State == EntityState.Detached)
                    break;
            }
        }
        await Send.NoContentAsync(ct);
    }
}
