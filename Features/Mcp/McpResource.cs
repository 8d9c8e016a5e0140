using Microsoft.Extensions.Options;
using MySecureApi.Infrastructure.Auth.Settings;

namespace MySecureApi.Features.Mcp;

/// <summary>
/// Whether the MCP endpoint is on, and the resource identifier in force: the configured one, or the development
/// issuer's <c>…/mcp</c>.
/// </summary>
internal sealed class McpResource(IOptions<McpOptions> options, Auth0Settings auth0)
{
    public const string Path = "/mcp";

    public bool Enabled { get; } = options.Value.IsOn(auth0.UsesDevelopmentIssuer);

    public string Value { get; } = options.Value.Resource ?? $"{auth0.Issuer.TrimEnd('/')}{Path}";
}
