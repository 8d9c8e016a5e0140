using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using MySecureApi.Infrastructure.Hosting;

namespace MySecureApi.Infrastructure.Auth.Mtls;

/// <summary>
/// The client certificate header of a request that came straight from a trusted proxy, kept as a request feature so
/// that the binding check can believe it. It is decided before ASP.NET's forwarded-headers middleware replaces the
/// peer's address with the client's: afterwards the proxy could no longer be told from a client.
/// </summary>
public sealed class ForwardedClientCertificate(StringValues header)
{
    /// <summary>The header's values as the proxy sent them (more than one is malformed).</summary>
    public StringValues Header { get; } = header;

    /// <summary>
    /// Adds the middleware that records the header, only when certificate-bound tokens are accepted and proxies are
    /// trusted: otherwise no request pays for it, and a header from anyone is never read.
    /// </summary>
    public static IApplicationBuilder Use(IApplicationBuilder app)
    {
        var mtls = app.ApplicationServices.GetRequiredService<IOptions<MtlsOptions>>().Value;
        var proxies = app.ApplicationServices.GetRequiredService<IOptions<TrustedProxiesOptions>>().Value;
        if (!mtls.AcceptsBound || !proxies.Enabled)
            return app;
        var name = mtls.CertificateHeader;
        var trusted = proxies.Matcher();
        return app.Use(next => context =>
        {
            if (context.Request.Headers.TryGetValue(name, out var header) && trusted(context.Connection.RemoteIpAddress))
                context.Features.Set(new ForwardedClientCertificate(header));
            return next(context);
        });
    }
}
