using Microsoft.AspNetCore.Http.Features.Authentication;

namespace MySecureApi.Infrastructure.Hosting;

/// <summary>
/// <c>X-Content-Type-Options: nosniff</c> on every response; <c>Cache-Control: no-store</c> on errors and on
/// responses to requests that carry credentials, so that no shared cache keeps a per-user answer.
/// </summary>
public static class ResponseHygiene
{
    public static IApplicationBuilder UseResponseHygiene(this IApplicationBuilder app) => Ablation.Removes(Piece.Hygiene) ? app : app.Use((context, next) =>
    {
        context.Response.OnStarting(static state => Apply((HttpContext)state), context);
        return next(context);
    });

    private static Task Apply(HttpContext context)
    {
        var response = context.Response;
        response.Headers.XContentTypeOptions = "nosniff";
        // The feature, not HttpContext.User, whose getter would create an empty principal for every anonymous request.
        var user = context.Features.Get<IHttpAuthenticationFeature>()?.User;
        if (response.StatusCode >= 400 || context.Request.Headers.Authorization.Count > 0 || user?.Identity?.IsAuthenticated == true)
            response.Headers.CacheControl = "no-store";
        return Task.CompletedTask;
    }
}
