using FastEndpoints;
using MySecureApi.Features.Messages.Data;
using MySecureApi.Infrastructure.Auth.Access;
using MySecureApi.Infrastructure.Auth.Tokens;
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
        Summary(s =>
        {
            s.Summary = "Replace a message's text";
            s.Response<Message>(200, "The updated message; its new ETag in the ETag header");
            s.Response(404, "No such message (not_found)");
            s.Response(412, "If-Match names an older version (precondition_failed)");
            s.Response(413, "The body is over 16 KiB (payload_too_large)");
            s.Response(415, "The body is not application/json (unsupported_media_type)");
            s.Response(503, "The database is unavailable (temporarily_unavailable); Retry-After");
            s.ResponseHeaders.Add(new ResponseHeader(200, "ETag") { Description = "The message's new version", Example = "\"2-2\"" });
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var record = AuthorOrAdmin<Request>.Of(HttpContext);
        var text = MessageText.Normalize(req.Text!);
        var actor = ActorChain.Current(User);
        var outcome = await MessageChange.SaveAsync(db, record, req.IfMatch, message =>
        {
            message.Text = text;
            message.Actor = actor;
            message.UpdatedAt = Message.Now(time);
            message.Version++;
        }, ct);
        switch (outcome)
        {
            case MessageChange.Outcome.Stale:
                await Send.ErrorAsync(ApiErrors.PreconditionFailed);
                break;
            case MessageChange.Outcome.Gone:
                await Send.ErrorAsync(ApiErrors.NotFound);
                break;
            default:
                if (actor is not null)
                    Logger.LogInformation("Message {Id} updated by {Actor} acting for {Author}", record.Id, actor, User.Identity!.Name);
                HttpContext.Response.Headers.ETag = MessageETag.Of(record);
                await Send.OkAsync(Message.From(record), ct);
                break;
        }
    }
}
