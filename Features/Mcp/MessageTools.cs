using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FastEndpoints;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using MySecureApi.Infrastructure.Auth.Tokens;
using MySecureApi.Infrastructure.Hosting;

namespace MySecureApi.Features.Mcp;

/// <summary>
/// The messages routes as MCP tools. A call runs its route in-process (<see cref="InProcessPipeline"/>) as the caller:
/// the route's permission, owner-or-admin rule, validation, idempotency, versions, write limit and database answers
/// are the route's own. Its answer becomes the tool's result — or, for an error, a tool error with the same problem
/// fields (<c>error</c>, <c>message</c>, <c>detail</c>).
/// </summary>
internal sealed class MessageTools(EndpointDataSource endpoints, InProcessPipeline pipeline, ILogger<MessageTools> logger)
{
    private static readonly (string Name, Type Endpoint, ToolAnnotations Hints)[] Catalog =
    [
        ("list_messages", typeof(Messages.GetMessages.Endpoint), new() { ReadOnlyHint = true, IdempotentHint = true, OpenWorldHint = false }),
        ("get_message", typeof(Messages.GetMessage.Endpoint), new() { ReadOnlyHint = true, IdempotentHint = true, OpenWorldHint = false }),
        ("create_message", typeof(Messages.PostMessage.Endpoint), new() { ReadOnlyHint = false, DestructiveHint = false, IdempotentHint = false, OpenWorldHint = false }),
        ("update_message", typeof(Messages.PutMessage.Endpoint), new() { ReadOnlyHint = false, DestructiveHint = true, IdempotentHint = true, OpenWorldHint = false }),
        ("delete_message", typeof(Messages.DeleteMessage.Endpoint), new() { ReadOnlyHint = false, DestructiveHint = true, IdempotentHint = true, OpenWorldHint = false }),
    ];

    private IReadOnlyList<RouteTool>? tools;

    /// <summary>Every tool, read from the routes' definitions on first use.</summary>
    public IReadOnlyList<RouteTool> All => tools ??= Catalog.Select(entry => new RouteTool(entry.Name, Definition(entry.Endpoint), entry.Hints)).ToList();

    public RouteTool? Find(string name) => All.FirstOrDefault(tool => tool.Name == name);

    /// <summary>
    /// The tools of this request, bound to it: for a listing, those whose routes' rules the caller meets; for a call,
    /// every tool — the gate has checked the permissions, and the route itself answers its other rules (a tool error).
    /// </summary>
    public IEnumerable<McpServerTool> For(HttpContext http)
    {
        var calling = http.Items.ContainsKey(McpGate.CallItem);
        return All.Where(tool => calling || tool.Permits(http.User)).Select(tool => new Bound(tool, http, this));
    }

    private EndpointDefinition Definition(Type endpoint) => endpoints.Endpoints
        .Select(e => e.Metadata.GetMetadata<EndpointDefinition>()).OfType<EndpointDefinition>()
        .First(definition => definition.EndpointType == endpoint);

    /// <summary>Runs the tool's route with the arguments, as the caller.</summary>
    public async ValueTask<CallToolResult> CallAsync(RouteTool tool, HttpContext http, IDictionary<string, JsonElement>? arguments)
    {
        if (ToRequest(tool, arguments) is not { } request)
            return Error(new JsonObject
            {
                ["status"] = 400, ["error"] = "invalid_arguments", ["message"] = "The arguments do not fit the tool",
                ["detail"] = "Each argument must be one the tool's input schema names, given once",
            });
        var answer = await pipeline.SendAsync(http, tool.Verb, request.Path, request.Query, request.Headers, request.Body);
        var actor = ActorChain.Current(http.User);
        System.Diagnostics.Activity.Current?.SetTag("mcp.tool.name", tool.Name);
        if (actor is null)
            logger.LogInformation("MCP tool {Tool}: {Status}", tool.Name, answer.Status);
        else
            logger.LogInformation("MCP tool {Tool}: {Status}, called by {Actor} acting for the subject", tool.Name, answer.Status, actor);
        return Result(answer);
    }

    private sealed record Request(string Path, QueryString Query, List<KeyValuePair<string, string>> Headers, byte[]? Body);

    /// <summary>The HTTP request the arguments stand for, or null when an argument is not the tool's.</summary>
    private static Request? ToRequest(RouteTool tool, IDictionary<string, JsonElement>? arguments)
    {
        var path = tool.Route;
        var query = QueryString.Empty;
        var headers = new List<KeyValuePair<string, string>>();
        JsonObject? body = null;
        foreach (var (argument, value) in arguments ?? new Dictionary<string, JsonElement>())
        {
            if (!tool.TryPlace(argument, out var place, out var name))
                return null;
            if (value.ValueKind == JsonValueKind.Null)
                continue;
            switch (place)
            {
                case RouteTool.Place.Path:
                    path = ReplaceRouteValue(path, name, Uri.EscapeDataString(Text(value)));
                    break;
                case RouteTool.Place.Query:
                    query = query.Add(name, Text(value));
                    break;
                case RouteTool.Place.Header:
                    headers.Add(new(name, Text(value)));
                    break;
                default:
                    (body ??= [])[name] = JsonNode.Parse(value.GetRawText());
                    break;
            }
        }
        if (path.Contains('{'))
            return null;
        var bytes = body is null && tool.Verb is "GET" or "DELETE" ? null : Encoding.UTF8.GetBytes((body ?? []).ToJsonString());
        return new Request(path, query, headers, bytes);
    }

    private static string Text(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();

    /// <summary>Puts a value in place of <c>{name}</c> or <c>{name:constraint}</c>.</summary>
    private static string ReplaceRouteValue(string route, string name, string value)
    {
        var start = route.IndexOf($"{{{name}", StringComparison.OrdinalIgnoreCase);
        var end = route.IndexOf('}', start);
        return route[..start] + value + route[(end + 1)..];
    }

    /// <summary>A success: the status, the ETag and replay mark when there are, and the route's JSON; an error: its problem fields.</summary>
    private static CallToolResult Result(InProcessResponse answer)
    {
        var json = answer.Body.Length > 0 && answer.Headers.ContentType.ToString().Contains("json", StringComparison.OrdinalIgnoreCase)
            ? JsonNode.Parse(answer.Body) : null;
        if (answer.Status is >= 400)
        {
            var problem = new JsonObject { ["status"] = answer.Status };
            foreach (var field in new[] { "error", "message", "detail", "errors" })
                if (json?[field] is { } value)
                    problem[field] = value.DeepClone();
            if (answer.Headers.RetryAfter.ToString() is { Length: > 0 } retryAfter)
                problem["retryAfter"] = int.TryParse(retryAfter, out var seconds) ? seconds : retryAfter;
            return Error(problem);
        }
        var result = new JsonObject { ["status"] = answer.Status };
        if (answer.Headers.ETag.ToString() is { Length: > 0 } etag)
            result["etag"] = etag;
        if (answer.Headers[Messages.PostMessage.Endpoint.ReplayedHeader].ToString() == "true")
            result["replayed"] = true;
        if (json is not null)
            result["result"] = json;
        return Success(result);
    }

    private static CallToolResult Success(JsonObject content) => new()
    {
        StructuredContent = JsonSerializer.SerializeToElement(content),
        Content = [new TextContentBlock { Text = content.ToJsonString() }],
    };

    private static CallToolResult Error(JsonObject problem) => new()
    {
        IsError = true,
        StructuredContent = JsonSerializer.SerializeToElement(problem),
        Content = [new TextContentBlock { Text = problem.ToJsonString() }],
    };

    /// <summary>A tool bound to the HTTP request that lists or calls it (stateless: one MCP server per request).</summary>
    private sealed class Bound(RouteTool tool, HttpContext http, MessageTools owner) : McpServerTool
    {
        public override Tool ProtocolTool => tool.Protocol;

        public override IReadOnlyList<object> Metadata => [];

        public override ValueTask<CallToolResult> InvokeAsync(RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken = default) =>
            owner.CallAsync(tool, http, request.Params?.Arguments);
    }
}
