using FastEndpoints;

namespace MySecureApi.Infrastructure.Errors;

/// <summary>An endpoint's way to answer with one of the contract's errors: <c>await Send.ErrorAsync(ApiErrors.PreconditionFailed)</c>.</summary>
public static class ResponseSenderExtensions
{
    public static Task ErrorAsync(this IResponseSender send, ApiError error) => ErrorResponder.WriteAsync(send.HttpContext, error);
}
