using Microsoft.AspNetCore.Http.Features;

namespace MySecureApi.Infrastructure.Hosting;

/// <summary>
/// A route's own request body limit (Kestrel's default is 30 MB): a declared <c>Content-Length</c> over it is refused at
/// once, and a body that streams past it fails while it is read — both 413 <c>payload_too_large</c>.
/// </summary>
public static class BodyLimit
{
    public static void MaxBodySize(this FastEndpoints.BaseEndpoint endpoint, long bytes) =>
        endpoint.Definition.Options(route => route.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (http.Request.ContentLength > bytes)
                return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
                limit.MaxRequestBodySize = bytes;
            return await next(context);
        }));
}
