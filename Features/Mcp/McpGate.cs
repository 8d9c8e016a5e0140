using System.Text.Json;
using MySecureApi.Infrastructure.Auth.Access;
using MySecureApi.Infrastructure.Auth.Challenges;
using MySecureApi.Infrastructure.Auth.Tokens;
using MySecureApi.Infrastructure.Errors;
using MySecureApi.Infrastructure.Telemetry;

namespace MySecureApi.Features.Mcp;

/// <summary>
/// The door of <c>/mcp</c>, after authentication and before the MCP SDK reads a byte: the token's <c>aud</c> must name
/// the MCP resource (401 <c>invalid_token</c>), the message must fit <see cref="McpOptions.MaxRequestBytes"/> (413), and
/// a <c>tools/call</c> of a tool whose route declares permissions the token lacks is answered as the MCP authorization
/// spec asks: HTTP 403 <c>insufficient_scope</c> with <c>scope=</c> (what to ask the authorization server for).
/// </summary>
internal static class McpGate
{
    /// <summary>Item set on a <c>tools/call</c> request (the tool's name).</summary>
    public const string CallItem = "MySecureApi.Mcp.Call";

    public static RequestDelegate Around(RequestDelegate sdk, MessageTools tools, McpResource resource) => async context =>
    {
        if (!context.User.HasClaim(ClaimNames.Audience, resource.Value))
        {
            await RefuseAsync(context, AuthErrors.InvalidToken(TokenFailure.InvalidAudience), "mcp_audience");
            return;
        }
        if (HttpMethods.IsPost(context.Request.Method))
        {
            if (await ReadAsync(context.Request) is not { } message)
            {
                await RefuseAsync(context, ApiErrors.ForStatus(StatusCodes.Status413PayloadTooLarge), "mcp_message_size");
                return;
            }
            if (CalledTool(message) is { } name)
            {
                context.Items[CallItem] = name;
                if (tools.Find(name) is { } tool && EndpointAccess.MissingPermissions(context.User, tool.Endpoint) is { } missing)
                {
                    await RefuseAsync(context, AuthErrors.InsufficientScope(missing), null);
                    return;
                }
            }
            context.Request.Body = new MemoryStream(message, writable: false);
        }
        await sdk(context);
    };

    private static Task RefuseAsync(HttpContext context, ApiError error, string? reason)
    {
        ApiMetrics.Failure(error.Code, reason ?? error.Detail);
        return ErrorResponder.WriteAsync(context, error);
    }

    /// <summary>The whole message, or null when it is longer than <see cref="McpOptions.MaxRequestBytes"/> (nothing more is read).</summary>
    private static async Task<byte[]?> ReadAsync(HttpRequest request)
    {
        if (request.ContentLength > McpOptions.MaxRequestBytes)
            return null;
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            if (buffer.Length + read > McpOptions.MaxRequestBytes)
                return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>The tool a JSON-RPC <c>tools/call</c> request names; null for anything else (the SDK answers that).</summary>
    private static string? CalledTool(byte[] message)
    {
        try
        {
            using var json = JsonDocument.Parse(message);
            var root = json.RootElement;
            return root.ValueKind == JsonValueKind.Object
                   && root.TryGetProperty("method", out var method) && method.ValueKind == JsonValueKind.String && method.ValueEquals("tools/call")
                   && root.TryGetProperty("params", out var parameters) && parameters.ValueKind == JsonValueKind.Object
                   && parameters.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String
                ? name.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
