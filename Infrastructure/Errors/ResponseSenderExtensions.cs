using FastEndpoints;

namespace MySecureApi.Infrastructure.Errors;

/// <summary>An endpoint's way to answer with one of the documented errors (docs/errors.md): <c>await Send.ErrorAsync(ApiErrors.PreconditionFailed)</c>.</summary>
public static class ResponseSenderExtensions
{
    public static Task ErrorAsync(this IResponseSender send, ApiError error) => ErrorResponder.WriteAsync(send.HttpContext, error);
}
