using FastEndpoints;
using MySecureApi.Infrastructure.Auth.Challenges;
using MySecureApi.Infrastructure.Errors;
using WellKnownResponse = MySecureApi.Features.WellKnown.GetProtectedResource.Response;

namespace MySecureApi.Features.Mcp.GetProtectedResource;

/// <summary>
/// RFC 9728 §3.1: the metadata of the MCP resource at the path-suffixed well-known URL — its own identifier (tokens for
/// <c>/mcp</c> must name it in <c>aud</c>), the issuers, and the scopes its tools need. 404 while the MCP endpoint is off.
/// </summary>
internal sealed class Endpoint(ResourceMetadata metadata, IServiceProvider services) : EndpointWithoutRequest<WellKnownResponse>
{
    public const string Path = ResourceMetadata.Path + McpResource.Path;

    public override void Configure()
    {
        Get(Path);
        AllowAnonymous();
        Tags("Metadata");
        Summary(s =>
        {
            s.Summary = "MCP resource metadata (RFC 9728 §3.1)";
            s.Description = "The MCP endpoint's resource identifier (an agent's token must name it in `aud`), the authorization "
                            + "servers, and the scopes its tools need. Every 401 and 403 of `/mcp` names this document in `resource_metadata`.";
            s.Response(404, "The MCP endpoint is off (not_found)");
        });
    }

    public override Task HandleAsync(CancellationToken ct)
    {
        if (services.GetService<McpResource>() is not { Enabled: true } mcp)
            return Send.ErrorAsync(ApiErrors.NotFound);
        var scopes = services.GetRequiredService<MessageTools>().All
            .SelectMany(tool => tool.Endpoint.AllowedPermissions ?? []).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        HttpContext.Response.Headers.CacheControl = WellKnown.GetProtectedResource.Endpoint.CacheControl;
        return Send.OkAsync(WellKnownResponse.Of(metadata, mcp.Value, scopes, ["header"]), ct);
    }
}
