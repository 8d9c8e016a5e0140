using FastEndpoints;
using MySecureApi.Infrastructure.Auth.Challenges;

namespace MySecureApi.Features.WellKnown.GetProtectedResource;

/// <summary>
/// RFC 9728: where a client (an agent, an MCP host) learns which issuers to get a token from and which scopes exist.
/// Every 401 challenge points here with <c>resource_metadata</c>.
/// </summary>
internal sealed class Endpoint(ResourceMetadata metadata) : EndpointWithoutRequest<Response>
{
    /// <summary>The document changes only with configuration and code; clients and shared caches may keep it an hour.</summary>
    public const string CacheControl = "public, max-age=3600";

    public override void Configure()
    {
        Get(ResourceMetadata.Path);
        AllowAnonymous();
        Tags("Metadata");
        Summary(s =>
        {
            s.Summary = "Protected resource metadata (RFC 9728)";
            s.Description = "The API's identifier, the authorization servers (issuers) it accepts tokens from, the scopes its "
                            + "endpoints require, how tokens may be sent, its DPoP rules and whether certificate-bound tokens are accepted. Every 401 challenge names this "
                            + "document in `resource_metadata`.";
        });
    }

    public override Task HandleAsync(CancellationToken ct)
    {
        HttpContext.Response.Headers.CacheControl = CacheControl;
        return Send.OkAsync(Response.Of(metadata, metadata.Resource(HttpContext.Request), metadata.ScopesSupported, metadata.BearerMethods), ct);
    }
}
