using MySecureApi.Infrastructure.Hosting;

namespace MySecureApi.Features.Mcp;

/// <summary>The start-up banner's line about the MCP endpoint, when it is on: where it is and which audience its tokens need.</summary>
internal sealed class McpBannerSection(McpResource mcp) : IStartupBannerSection
{
    public IEnumerable<string> Lines(string url, IReadOnlyList<string> addresses) => mcp.Enabled
        ? [$"MCP endpoint for agents: {url}{McpResource.Path} (tokens with audience {mcp.Value}; see docs/agents.md)"]
        : [];
}
