using FastEndpoints;
using Microsoft.Extensions.Options;
using MySecureApi.Infrastructure.Auth.DPoP;
using MySecureApi.Infrastructure.Auth.Mtls;
using MySecureApi.Infrastructure.Auth.Settings;

namespace MySecureApi.Infrastructure.Auth.Challenges;

/// <summary>
/// What RFC 9728 protected resource metadata says about this API: its identifier, the issuers, the scopes its endpoints
/// declare (generated, never hand-kept), how tokens may be sent, DPoP and certificate binding; and where the document
/// is, for challenges.
/// </summary>
public sealed class ResourceMetadata(Auth0Settings auth0, IOptions<DPoPOptions> dpop, IOptions<MtlsOptions> mtls, EndpointDataSource endpoints)
{
    public const string Path = "/.well-known/oauth-protected-resource";

    private IReadOnlyList<string>? scopes;

    /// <summary>Every issuer a token may come from (<c>authorization_servers</c>).</summary>
    public IReadOnlyList<string> Issuers { get; } = auth0.Issuers;

    /// <summary>The DPoP rules the document states.</summary>
    public DPoPOptions DPoP { get; } = dpop.Value;

    /// <summary>RFC 8705 §3 / RFC 9728 §2: whether certificate-bound tokens are accepted (<c>tls_client_certificate_bound_access_tokens</c>).</summary>
    public bool CertificateBoundTokens { get; } = mtls.Value.AcceptsBound;

    /// <summary>Every scope an endpoint declares with <c>Permissions(...)</c> or <c>Scopes(...)</c>, sorted.</summary>
    public IReadOnlyList<string> ScopesSupported => scopes ??= endpoints.Endpoints
        .Select(endpoint => endpoint.Metadata.GetMetadata<EndpointDefinition>())
        .OfType<EndpointDefinition>()
        .SelectMany(definition => (definition.AllowedPermissions ?? []).Concat(definition.AllowedScopes ?? []))
        .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    /// <summary>How a token may be sent (RFC 6750 §2): the header always, the query string and form body when enabled.</summary>
    public IReadOnlyList<string> BearerMethods { get; } = BearerMethodsOf(auth0);

    /// <summary>The configured resource, else the first audience when it is an <c>https</c> URL, else the API's own URL.</summary>
    public string Resource(HttpRequest request) =>
        auth0.Resource ?? (IsHttpsUrl(auth0.Audience) ? auth0.Audience : BaseUrl(request) ?? auth0.Audience);

    /// <summary>
    /// The absolute URL of the document for <c>resource_metadata</c> in challenges, from the request's scheme and host
    /// (after forwarded headers) — the route's own document when it names one (<see cref="ResourceMetadataLocation"/>,
    /// RFC 9728 §3.1), else this API's; null when the host could not be written into a header attribute as it is.
    /// </summary>
    public static string? UrlFor(HttpRequest request) => BaseUrl(request) is { } baseUrl
        ? baseUrl + (request.HttpContext.GetEndpoint()?.Metadata.GetMetadata<ResourceMetadataLocation>()?.Path ?? Path)
        : null;

    private static string? BaseUrl(HttpRequest request)
    {
        if (!request.Host.HasValue)
            return null;
        var url = $"{request.Scheme}://{request.Host.ToUriComponent()}{request.PathBase.ToUriComponent()}";
        foreach (var c in url)
            if (c is <= ' ' or > '~' or '"' or '\\' or ',')
                return null;
        return url;
    }

    private static bool IsHttpsUrl(string value) => Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps;

    private static List<string> BearerMethodsOf(Auth0Settings options)
    {
        var methods = new List<string> { "header" };
        if (options.AllowFormBodyToken)
            methods.Add("body");
        if (options.AllowQueryStringToken)
            methods.Add("query");
        return methods;
    }
}
