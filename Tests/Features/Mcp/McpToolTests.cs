using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using MySecureApi.Tests.Fixtures;

namespace MySecureApi.Tests.Features.Mcp;

/// <summary>
/// <c>/mcp</c> with the official C# MCP client: <c>tools/list</c> per permission set, and every tool's success and
/// refusal — each answered by the HTTP route it stands for (permission, owner, validation, idempotency, versions).
/// </summary>
public sealed class McpToolTests(AppFixture app)
{
    private const string Alice = "auth0|alice";

    private Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> Host(params (string, string?)[] settings) =>
        MessagesDatabase.Sqlite.Host(app, [.. McpClients.Enabled, .. settings]);

    private string Token(string sub, params string[] permissions) => app.McpToken(permissions).With("sub", sub).Build();

    private static async Task<JsonElement> CallAsync(McpClient client, string tool, object arguments, bool error = false)
    {
        var args = JsonSerializer.Deserialize<Dictionary<string, object?>>(JsonSerializer.Serialize(arguments))!;
        var result = await client.CallToolAsync(tool, args, cancellationToken: TestContext.Current.CancellationToken);
        Assert.True((result.IsError ?? false) == error, $"{tool}: {JsonSerializer.Serialize(result.StructuredContent)}");
        var structured = JsonSerializer.SerializeToElement(result.StructuredContent);
        // The text content says the same, for clients that read only text.
        Assert.Equal(structured.GetRawText(), JsonDocument.Parse(((TextContentBlock)result.Content[0]).Text).RootElement.GetRawText());
        return structured;
    }

    [Fact]
    public async Task Tools_list_shows_only_what_the_token_permits()
    {
        await using var host = Host();

        async Task<string[]> NamesAsync(string token)
        {
            await using var client = await McpClients.ConnectAsync(host, token);
            return [.. (await client.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken)).Select(t => t.Name).Order()];
        }

        Assert.Empty(await NamesAsync(Token(Alice)));
        Assert.Equal(["get_message", "list_messages"], await NamesAsync(Token(Alice, "read:messages")));
        Assert.Equal(["create_message", "delete_message", "get_message", "list_messages", "update_message"], await NamesAsync(Token(Alice, "read:messages", "write:messages")));
        // A delegated token: DELETE refuses delegated calls, so an agent is not offered it.
        Assert.Equal(["create_message", "get_message", "list_messages", "update_message"],
            await NamesAsync(app.McpToken("read:messages", "write:messages").With("sub", Alice).With("act", new JsonObject { ["sub"] = "agent|1" }).Build()));
    }

    [Fact]
    public async Task The_server_introduces_itself_and_each_tool_carries_its_route_schema_and_hints()
    {
        await using var host = Host();
        await using var client = await McpClients.ConnectAsync(host, Token(Alice, "read:messages", "write:messages"));
        var tools = (await client.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken)).ToDictionary(t => t.Name, t => t.ProtocolTool);

        Assert.Equal("MySecureApi", client.ServerInfo!.Name);
        TestContext.Current.TestOutputHelper!.WriteLine(string.Join("\n", tools.Select(t => $"{t.Key}: {t.Value.InputSchema.GetRawText()}")));
        Assert.Contains("POST /api/messages", tools["create_message"].Description);
        var create = tools["create_message"].InputSchema;
        Assert.Equal("object", create.GetProperty("type").GetString());
        Assert.Equal(500, create.GetProperty("properties").GetProperty("text").GetProperty("maxLength").GetInt32());
        Assert.Equal(255, create.GetProperty("properties").GetProperty("idempotencyKey").GetProperty("maxLength").GetInt32());
        Assert.False(create.GetProperty("additionalProperties").GetBoolean());
        Assert.Contains("text", create.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("id", tools["delete_message"].InputSchema.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(100, tools["list_messages"].InputSchema.GetProperty("properties").GetProperty("limit").GetProperty("maximum").GetInt32());
        Assert.True(tools["list_messages"].Annotations!.ReadOnlyHint);
        Assert.True(tools["delete_message"].Annotations!.DestructiveHint);
    }

    [Fact]
    public async Task Each_tool_does_what_its_route_does()
    {
        await using var host = Host();
        await using var client = await McpClients.ConnectAsync(host, Token(Alice, "read:messages", "write:messages"));

        var created = await CallAsync(client, "create_message", new { text = "  via MCP  " });
        Assert.Equal(201, created.GetProperty("status").GetInt32());
        var id = created.GetProperty("result").GetProperty("id").GetInt64();
        Assert.Equal(("via MCP", Alice), (created.GetProperty("result").GetProperty("text").GetString(), created.GetProperty("result").GetProperty("author").GetString()));
        Assert.Equal($"\"{id}-1\"", created.GetProperty("etag").GetString());

        var read = await CallAsync(client, "get_message", new { id });
        Assert.Equal("via MCP", read.GetProperty("result").GetProperty("text").GetString());

        var list = await CallAsync(client, "list_messages", new { limit = 1 });
        Assert.Single(list.GetProperty("result").GetProperty("messages").EnumerateArray());
        Assert.True(list.GetProperty("result").TryGetProperty("nextCursor", out _));

        var updated = await CallAsync(client, "update_message", new { id, text = "edited", ifMatch = $"\"{id}-1\"" });
        Assert.Equal($"\"{id}-2\"", updated.GetProperty("etag").GetString());

        // The same route over HTTP sees the tool's change.
        var http = host.ClientFor(app, Alice);
        Assert.Contains("edited", await http.GetStringAsync($"/api/messages/{id}", TestContext.Current.CancellationToken));

        var deleted = await CallAsync(client, "delete_message", new { id, ifMatch = $"\"{id}-2\"" });
        Assert.Equal(204, deleted.GetProperty("status").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/messages/{id}", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task Refusals_are_tool_errors_with_the_route_problem_fields()
    {
        await using var host = Host();
        var bobsId = (await CallAsync(await McpClients.ConnectAsync(host, Token("auth0|bob", "read:messages", "write:messages")), "create_message", new { text = "Bob's" }))
            .GetProperty("result").GetProperty("id").GetInt64();
        await using var client = await McpClients.ConnectAsync(host, Token(Alice, "read:messages", "write:messages"));

        var notOwner = await CallAsync(client, "update_message", new { id = bobsId, text = "hijacked" }, error: true);
        Assert.Equal((403, "forbidden", "Access denied"), (notOwner.GetProperty("status").GetInt32(), notOwner.GetProperty("error").GetString(), notOwner.GetProperty("message").GetString()));

        var invalid = await CallAsync(client, "create_message", new { text = new string('x', 501) }, error: true);
        Assert.Equal((400, "invalid_request"), (invalid.GetProperty("status").GetInt32(), invalid.GetProperty("error").GetString()));
        Assert.True(invalid.GetProperty("errors").TryGetProperty("text", out _), invalid.GetRawText());

        var missing = await CallAsync(client, "get_message", new { id = 999_999 }, error: true);
        Assert.Equal((404, "not_found"), (missing.GetProperty("status").GetInt32(), missing.GetProperty("error").GetString()));

        var id = (await CallAsync(client, "create_message", new { text = "v1" })).GetProperty("result").GetProperty("id").GetInt64();
        await CallAsync(client, "update_message", new { id, text = "v2" });
        var stale = await CallAsync(client, "update_message", new { id, text = "v3 from v1", ifMatch = $"\"{id}-1\"" }, error: true);
        Assert.Equal((412, "precondition_failed"), (stale.GetProperty("status").GetInt32(), stale.GetProperty("error").GetString()));

        var unknownArgument = await CallAsync(client, "get_message", new { id, admin = true }, error: true);
        Assert.Equal("invalid_arguments", unknownArgument.GetProperty("error").GetString());

        foreach (var problem in new[] { notOwner, invalid, missing, stale, unknownArgument })
            Assert.DoesNotContain("   at ", problem.GetRawText());
    }

    [Fact]
    public async Task An_idempotent_retry_is_answered_once_and_a_reused_key_is_refused()
    {
        await using var host = Host();
        await using var client = await McpClients.ConnectAsync(host, Token(Alice, "read:messages", "write:messages"));

        var first = await CallAsync(client, "create_message", new { text = "once", idempotencyKey = "retry-1" });
        var again = await CallAsync(client, "create_message", new { text = "once", idempotencyKey = "retry-1" });
        var reused = await CallAsync(client, "create_message", new { text = "another", idempotencyKey = "retry-1" }, error: true);

        Assert.Equal(first.GetProperty("result").GetProperty("id").GetInt64(), again.GetProperty("result").GetProperty("id").GetInt64());
        Assert.True(again.GetProperty("replayed").GetBoolean());
        Assert.False(first.TryGetProperty("replayed", out _));
        Assert.Equal((422, "idempotency_key_reused"), (reused.GetProperty("status").GetInt32(), reused.GetProperty("error").GetString()));
        var all = await CallAsync(client, "list_messages", new { limit = 100 });
        Assert.Single(all.GetProperty("result").GetProperty("messages").EnumerateArray(), m => m.GetProperty("text").GetString() == "once");
    }

    [Fact]
    public async Task Tool_writes_pay_the_write_limit_and_reads_do_not()
    {
        await using var host = Host(("RateLimiting:Write:PermitLimit", "2"), ("RateLimiting:Write:Algorithm", "FixedWindow"));
        await using var client = await McpClients.ConnectAsync(host, Token(Alice, "read:messages", "write:messages"));

        for (var i = 0; i < 5; i++)
            await CallAsync(client, "list_messages", new { limit = 1 });
        await CallAsync(client, "create_message", new { text = "1" });
        await CallAsync(client, "create_message", new { text = "2" });
        var limited = await CallAsync(client, "create_message", new { text = "3" }, error: true);

        Assert.Equal((429, "rate_limited"), (limited.GetProperty("status").GetInt32(), limited.GetProperty("error").GetString()));
        Assert.True(limited.GetProperty("retryAfter").GetInt32() >= 1);
    }

    [Fact]
    public async Task A_delegated_create_records_the_agent_and_a_delegated_delete_is_a_tool_error()
    {
        await using var host = Host();
        var token = app.McpToken("read:messages", "write:messages").With("sub", Alice).With("act", new JsonObject { ["sub"] = "agent|mcp" }).Build();
        await using var agent = await McpClients.ConnectAsync(host, token);

        var created = await CallAsync(agent, "create_message", new { text = "by my agent" });
        Assert.Equal("agent|mcp", created.GetProperty("result").GetProperty("actor").GetString());

        // Not listed, and if called anyway: the route's own 403.
        var refused = await CallAsync(agent, "delete_message", new { id = created.GetProperty("result").GetProperty("id").GetInt64() }, error: true);
        Assert.Equal((403, "delegation_refused"), (refused.GetProperty("status").GetInt32(), refused.GetProperty("error").GetString()));
    }
}
