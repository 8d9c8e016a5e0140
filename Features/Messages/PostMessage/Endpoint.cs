using FastEndpoints;
using MySecureApi.Features.Messages.Data;
using MySecureApi.Infrastructure.Auth;
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
        Summary(s => s.Summary = "Create a message");
    }

    /// <summary>An empty <c>Idempotency-Key</c> header is a malformed key, not an absent one.</summary>
    public override void OnBeforeValidate(Request req)
    {
        if (req.IdempotencyKey is null && HttpContext.Request.Headers.ContainsKey(Request.IdempotencyKeyHeader))
            req.IdempotencyKey = "";
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var outcome = await writer.CreateAsync(User.Identity!.Name!, MessageText.Normalize(req.Text!), req.IdempotencyKey, ct);
        switch (outcome)
        {
            case MessageWriter.Created created:
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
