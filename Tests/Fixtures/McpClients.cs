using System.Net.Http.Headers;
using Microsoft.AspNetCore.Mvc.Testing;
using ModelContextProtocol.Client;

namespace MySecureApi.Tests.Fixtures;

/// <summary>The official C# MCP client over Streamable HTTP, with a bearer token, against a host or a running process.</summary>
public static class McpClients
{
    /// <summary>The resource identifier the test hosts give their MCP endpoint (the token's <c>aud</c> must name it).</summary>
    public const string Resource = "https://api.mysecureapi.test/mcp";

    public static (string, string?)[] Enabled => [("Mcp:Enabled", "true"), ("Mcp:Resource", Resource)];

    /// <summary>A token for the MCP resource (its audience added to the API's), with these permissions.</summary>
    public static TokenBuilder McpToken(this AppFixture app, params string[] permissions) =>
        app.Token().With("aud", new System.Text.Json.Nodes.JsonArray(TokenBuilder.Audience, Resource)).Permissions(permissions);

    public static Task<McpClient> ConnectAsync(WebApplicationFactory<Program> host, string token) =>
        ConnectAsync(host.CreateClient(), new Uri(host.Server.BaseAddress, "/mcp"), token);

    public static async Task<McpClient> ConnectAsync(HttpClient http, Uri endpoint, string token)
    {
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var transport = new HttpClientTransport(new HttpClientTransportOptions { Endpoint = endpoint, TransportMode = HttpTransportMode.StreamableHttp },
            http, ownsHttpClient: true);
        return await McpClient.CreateAsync(transport, cancellationToken: TestContext.Current.CancellationToken);
    }
}
