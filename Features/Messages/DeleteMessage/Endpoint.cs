using FastEndpoints;
using MySecureApi.Features.Messages.Data;
using MySecureApi.Infrastructure.Auth.Access;
using MySecureApi.Infrastructure.Errors;

namespace MySecureApi.Features.Messages.DeleteMessage;

/// <summary>Deletes a message: its author or an admin, and with <c>If-Match</c> only its current version.</summary>
internal sealed class Endpoint(MessagesDbContext db) : Endpoint<Request>
{
    public override void Configure()
    {
        Delete("/api/messages/{id:long}");
        Permissions(Allow.WriteMessages);
        // An agent must not delete a person's message on their behalf: a person deletes, with a token of their own.
        this.RefuseDelegatedCalls();
        PreProcessor<AuthorOrAdmin<Request>>();
        Tags("Messages");
        Summary(s =>
        {
            s.Summary = "Delete a message";
            s.Response(204, "Deleted");
            s.Response(404, "No such message (not_found)");
            s.Response(412, "If-Match names an older version (precondition_failed)");
            s.Response(503, "The database is unavailable (temporarily_unavailable); Retry-After");
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var record = AuthorOrAdmin<Request>.Of(HttpContext);
        // Gone: deleted meanwhile, which is what was asked.
        if (await MessageChange.SaveAsync(db, record, req.IfMatch, message => db.Messages.Remove(message), ct) == MessageChange.Outcome.Stale)
            await Send.ErrorAsync(ApiErrors.PreconditionFailed);
        else
            await Send.NoContentAsync(ct);
    }
}
