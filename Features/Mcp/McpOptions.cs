namespace MySecureApi.Features.Mcp;

/// <summary>The MCP endpoint for agents (<c>Mcp:*</c>): on with the development issuer, otherwise off unless enabled.</summary>
internal sealed class McpOptions
{
    public const string Section = "Mcp";

    /// <summary>Unset: on exactly when the development issuer is (Development without <c>AUTH0_DOMAIN</c>).</summary>
    public bool? Enabled { get; set; }

    /// <summary>Whether the endpoint is on: as configured, else exactly when the development issuer is.</summary>
    public bool IsOn(bool usesDevelopmentIssuer) => Enabled ?? usesDevelopmentIssuer;

    /// <summary>
    /// The MCP resource's identifier (RFC 8707/9728), e.g. <c>https://api.example.com/mcp</c>: <c>/mcp</c> accepts only
    /// tokens whose <c>aud</c> contains it. With the development issuer it defaults to <c>http://localhost:&lt;PORT&gt;/mcp</c>.
    /// </summary>
    public string? Resource { get; set; }

    /// <summary>The largest JSON-RPC message <c>/mcp</c> reads (64 KiB): a message's 16 KiB body with room to spare.</summary>
    public const int MaxRequestBytes = 64 * 1024;
}
