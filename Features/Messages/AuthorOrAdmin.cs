using FastEndpoints;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using MySecureApi.Features.Messages.Data;
using MySecureApi.Infrastructure.Auth.Access;
using MySecureApi.Infrastructure.Auth.Challenges;
using MySecureApi.Infrastructure.Errors;
using MySecureApi.Infrastructure.Telemetry;

namespace MySecureApi.Features.Messages;

/// <summary>
/// The rule for changing a stored message, declared on the endpoint with <c>PreProcessor&lt;AuthorOrAdmin&lt;Request&gt;&gt;()</c>:
/// it loads the message (404 when there is none) and asks ASP.NET's resource-based authorization whether the caller is
/// its author or an admin (403 <c>forbidden</c> when not). The handler then takes the message with <see cref="Of"/>.
/// </summary>
internal sealed class AuthorOrAdmin<TRequest> : IPreProcessor<TRequest>, IDescribedAccessRule where TRequest : IMessageRoute
{
    public string Description => AuthorOrAdminRequirement.Text;

    public async Task PreProcessAsync(IPreProcessorContext<TRequest> context, CancellationToken ct)
    {
        var http = context.HttpContext;
        if (context.Request is null || context.HasValidationFailures)
            return;
        var db = http.RequestServices.GetRequiredService<MessagesDbContext>();
        var record = context.Request.Id > 0 ? await db.Messages.FirstOrDefaultAsync(m => m.Id == context.Request.Id, ct) : null;
        if (record is null)
        {
            await ErrorResponder.WriteAsync(http, ApiErrors.NotFound);
            return;
        }
        var decision = await http.RequestServices.GetRequiredService<IAuthorizationService>()
            .AuthorizeAsync(http.User, record, AuthorOrAdminRequirement.Policy);
        if (!decision.Succeeded)
        {
            ApiMetrics.Failure(AuthErrors.Forbidden.Code, "author_or_admin");
            await ErrorResponder.WriteAsync(http, AuthErrors.Forbidden);
            return;
        }
        http.Features.Set(new LoadedMessage(record));
    }

    /// <summary>The message this rule loaded (tracked by the request's context) and allowed the caller to change.</summary>
    public static MessageRecord Of(HttpContext http) =>
        http.Features.Get<LoadedMessage>()?.Record ?? throw new InvalidOperationException($"{nameof(AuthorOrAdmin<TRequest>)} did not run before the handler");

    /// <summary>The loaded message, handed from the rule to the handler as a typed request feature.</summary>
    private sealed record LoadedMessage(MessageRecord Record);
}
