using FastEndpoints;
using Microsoft.EntityFrameworkCore;
using MySecureApi.Features.Messages.Data;
using MySecureApi.Infrastructure.Auth.Access;
using MySecureApi.Infrastructure.Errors;

namespace MySecureApi.Features.Messages.GetMessage;

/// <summary>One message with its <c>ETag</c>; <c>If-None-Match</c> with the current tag is answered 304.</summary>
internal sealed class Endpoint(MessagesDbContext db) : Endpoint<Request, Message>
{
    public override void Configure()
    {
        Get("/api/messages/{id:long}");
        Permissions(Allow.ReadMessages);
        Tags("Messages");
        Summary(s =>
        {
            s.Summary = "Read a message";
            s.Response<Message>(200, "The message; its ETag in the ETag header");
            s.Response(304, "Not modified: If-None-Match names the current ETag");
            s.Response(404, "No such message (not_found)");
            s.Response(503, "The database is unavailable (temporarily_unavailable); Retry-After");
            s.ResponseHeaders.Add(new ResponseHeader(200, "ETag") { Description = "The message's version: send it back in If-Match", Example = "\"2-1\"" });
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var record = req.Id > 0 ? await db.Messages.AsNoTracking().FirstOrDefaultAsync(m => m.Id == req.Id, ct) : null;
        if (record is null)
        {
            await Send.ErrorAsync(ApiErrors.NotFound);
            return;
        }
        var etag = MessageETag.Of(record);
        HttpContext.Response.Headers.ETag = etag;
        if (req.IfNoneMatch is not null && MessageETag.IfNoneMatch(req.IfNoneMatch, etag))
            await Send.NotModifiedAsync(ct);
        else
            await Send.OkAsync(Message.From(record), ct);
    }
}
