using System.Text;
using System.Text.RegularExpressions;

namespace MySecureApi.Infrastructure.OpenApi;

/// <summary>
/// Swagger UI's page without the <c>realm</c> member of its OAuth settings. NSwag's page template always writes one,
/// even empty, and Swagger UI then adds <c>realm=</c> to the sign-in request; Auth0 has no such parameter. Only the
/// page itself (<c>/swagger/index.html</c>) is touched, and only when the Auth0 login is offered.
/// </summary>
internal static partial class SwaggerUiRealm
{
    private const string Page = "/swagger/index.html";

    public static IApplicationBuilder UseSwaggerUiWithoutRealm(this IApplicationBuilder app) =>
        app.UseWhen(static context => context.Request.Path.Equals(Page, StringComparison.OrdinalIgnoreCase), static page => page.Use(async (context, next) =>
        {
            var original = context.Response.Body;
            using var buffer = new MemoryStream();
            context.Response.Body = buffer;
            try
            {
                await next(context);
            }
            finally
            {
                context.Response.Body = original;
            }
            var html = EmptyRealm().Replace(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length), "");
            var bytes = Encoding.UTF8.GetBytes(html);
            context.Response.ContentLength = bytes.Length;
            await original.WriteAsync(bytes, context.RequestAborted);
        }));

    [GeneratedRegex("""^[ \t]*realm: "",\r?\n""", RegexOptions.Multiline)]
    private static partial Regex EmptyRealm();
}
