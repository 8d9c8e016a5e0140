using FastEndpoints;
using MySecureApi.Features.Messages.Data;
using MySecureApi.Infrastructure.Auth.Access;
using MySecureApi.Infrastructure.Auth.Tokens;
using MySecureApi.Infrastructure.Errors;
using MySecureApi.Infrastructure.Hosting;

namespace MySecureApi.Features.Messages.PostMessage;

/// <summary>Creates a message whose author is the token's <c>sub</c>; 201 with <c>Location</c> and <c>ETag</c>, once per <c>Idempotency-Key</c>.</summary>
internal sealed class Endpoint(MessageWriter writer) : Endpoint<Request, Message>
{
    public const string ReplayedHeader = "Idempotent-Replayed";

    public override void Configure()
    {
        Post("/api/messages");
        Permissions(Allow.WriteMessages);
        this.MaxBodySize(MessageText.MaxBodyBytes);
        Tags("Messages");
        Summary(s =>
        {
            s.Summary = "Create a message";
            s.Response<Message>(201, "Created; Location and ETag headers (and Idempotent-Replayed: true when a retry is answered)");
            s.Response(409, "The same Idempotency-Key is still being processed (idempotency_key_in_use)");
            s.Response(413, "The body is over 16 KiB (payload_too_large)");
            s.Response(415, "The body is not application/json (unsupported_media_type)");
            s.Response(422, "The Idempotency-Key was used with another body (idempotency_key_reused)");
            s.Response(503, "The database is unavailable (temporarily_unavailable); Retry-After");
            s.ResponseHeaders.Add(new ResponseHeader(201, "Location") { Description = "Where the message is", Example = "/api/messages/2" });
            s.ResponseHeaders.Add(new ResponseHeader(201, "ETag") { Description = "The message's version", Example = "\"2-1\"" });
            s.ResponseHeaders.Add(new ResponseHeader(201, ReplayedHeader) { Description = "true when the response replays an earlier request with this Idempotency-Key", Example = "true" });
        });
    }

    /// <summary>An empty <c>Idempotency-Key</c> header is a malformed key, not an absent one.</summary>
    public override void OnBeforeValidate(Request req)
    {
        if (req.IdempotencyKey is null && HttpContext.Request.Headers.ContainsKey(Request.IdempotencyKeyHeader))
            req.IdempotencyKey = "";
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var outcome = await writer.CreateAsync(User.Identity!.Name!, ActorChain.Current(User), MessageText.Normalize(req.Text!), req.IdempotencyKey, ct);
        switch (outcome)
        {
            case MessageWriter.Created created:
                if (created.Record.Actor is { } actor)
                    Logger.LogInformation("Message {Id} created by {Actor} acting for {Author}", created.Record.Id, actor, created.Record.Author);
                await CreatedAsync(Message.From(created.Record), MessageETag.Of(created.Record), ct);
                break;
            case MessageWriter.Replayed replayed:
                HttpContext.Response.Headers[ReplayedHeader] = "true";
                await CreatedAsync(replayed.Message, replayed.ETag, ct);
                break;
            case MessageWriter.KeyReused:
                await Send.ErrorAsync(ApiErrors.IdempotencyKeyReused);
                break;
            default:
                await Send.ErrorAsync(ApiErrors.IdempotencyKeyInUse);
                break;
        }
    }

    private Task CreatedAsync(Message message, string etag, CancellationToken ct)
    {
        HttpContext.Response.Headers.Location = $"/api/messages/{message.Id}";
        HttpContext.Response.Headers.ETag = etag;
        return Send.ResponseAsync(message, StatusCodes.Status201Created, ct);
    }
}
