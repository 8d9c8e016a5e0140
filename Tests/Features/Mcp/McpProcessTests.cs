using System.Net;
using System.Text.Json;
using ModelContextProtocol.Client;
using MySecureApi.Tests.Fixtures;

namespace MySecureApi.Tests.Features.Mcp;

/// <summary>
/// <c>/mcp</c> as deployed: two instances of the app, each its own process on one PostgreSQL, behind the loopback
/// issuer; one MCP client whose requests go to them in turn (stateless: any instance answers any call), and the
/// database stopped under it (a tool error with the route's 503, then recovery); every tool and the routes' refusals
/// (412, 400, 403 not the owner), an idempotent retry, a read-only token's listing and the 401 challenge, on the processes.
/// </summary>
public sealed class McpProcessTests : IDisposable
{
    private readonly PostgresServer postgres = new();
    private readonly DirectoryInfo work = Directory.CreateTempSubdirectory("mysecureapi-mcp-");

    public void Dispose()
    {
        postgres.Dispose();
        work.Delete(recursive: true);
    }

    /// <summary>Sends each request to the next instance, round robin, and remembers which one answered.</summary>
    private sealed class RoundRobin(Uri[] instances) : DelegatingHandler(new SocketsHttpHandler())
    {
        private int next;

        public List<int> Answered { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var index = next++ % instances.Length;
            lock (Answered)
                Answered.Add(index);
            request.RequestUri = new Uri(instances[index], request.RequestUri!.PathAndQuery);
            return base.SendAsync(request, cancellationToken);
        }
    }

    private static async Task<JsonElement> CallAsync(McpClient client, string tool, Dictionary<string, object?> arguments, bool error = false)
    {
        var result = await client.CallToolAsync(tool, arguments, cancellationToken: TestContext.Current.CancellationToken);
        var structured = JsonSerializer.SerializeToElement(result.StructuredContent);
        Assert.True((result.IsError ?? false) == error, structured.GetRawText());
        return structured;
    }

    [Fact]
    public async Task Two_instances_answer_one_client_in_turn_and_a_database_outage_is_a_tool_error()
    {
        await using var issuer = await LoopbackIssuer.StartAsync();
        var ports = new[] { AppProcess.FreeLoopbackPort(), AppProcess.FreeLoopbackPort() };
        var instances = new List<AppProcess>();
        try
        {
            foreach (var port in ports)
                instances.Add(AppProcess.Start(work.FullName, issuer.ProductionApp(port, work.FullName,
                    ("DATABASE_URL", postgres.Url("mcp")), ("Database__ConnectTimeoutSeconds", "2"),
                    ("Mcp__Enabled", "true"), ("Mcp__Resource", McpClients.Resource))));
            for (var i = 0; i < ports.Length; i++)
                Assert.Equal(HttpStatusCode.OK, (await instances[i].WaitForAsync($"http://127.0.0.1:{ports[i]}/health/ready", TimeSpan.FromSeconds(60))).StatusCode);

            var roundRobin = new RoundRobin([.. ports.Select(p => new Uri($"http://127.0.0.1:{p}"))]);
            var token = issuer.Token().With("aud", new System.Text.Json.Nodes.JsonArray(TokenBuilder.Audience, McpClients.Resource))
                .Permissions("read:messages", "write:messages").With("sub", "auth0|agent-owner").Build();
            await using var client = await McpClients.ConnectAsync(new HttpClient(roundRobin), new Uri($"http://127.0.0.1:{ports[0]}/mcp"), token);

            var ids = new List<long>();
            for (var i = 0; i < 4; i++)
                ids.Add((await CallAsync(client, "create_message", new() { ["text"] = $"call {i}" })).GetProperty("result").GetProperty("id").GetInt64());
            var listed = await CallAsync(client, "list_messages", new() { ["limit"] = 100 });
            Assert.Equal(ids.Order(), listed.GetProperty("result").GetProperty("messages").EnumerateArray()
                .Select(m => m.GetProperty("id").GetInt64()).Where(ids.Contains).Order());
            // Every tool, and the route's refusals, across the two processes.
            var id = ids[0];
            Assert.Equal("call 0", (await CallAsync(client, "get_message", new() { ["id"] = id })).GetProperty("result").GetProperty("text").GetString());
            var stale = await CallAsync(client, "update_message", new() { ["id"] = id, ["text"] = "edited", ["ifMatch"] = $"\"{id}-9\"" }, error: true);
            Assert.Equal(412, stale.GetProperty("status").GetInt32());
            Assert.Equal($"\"{id}-2\"", (await CallAsync(client, "update_message", new() { ["id"] = id, ["text"] = "edited", ["ifMatch"] = $"\"{id}-1\"" })).GetProperty("etag").GetString());
            var invalid = await CallAsync(client, "create_message", new() { ["text"] = "   " }, error: true);
            Assert.Equal((400, "invalid_request"), (invalid.GetProperty("status").GetInt32(), invalid.GetProperty("error").GetString()));
            var first = await CallAsync(client, "create_message", new() { ["text"] = "once", ["idempotencyKey"] = "process-retry" });
            var retried = await CallAsync(client, "create_message", new() { ["text"] = "once", ["idempotencyKey"] = "process-retry" });
            Assert.Equal(first.GetProperty("result").GetProperty("id").GetInt64(), retried.GetProperty("result").GetProperty("id").GetInt64());
            Assert.True(retried.GetProperty("replayed").GetBoolean());
            Assert.Equal(204, (await CallAsync(client, "delete_message", new() { ["id"] = id })).GetProperty("status").GetInt32());
            var otherToken = issuer.Token().With("aud", new System.Text.Json.Nodes.JsonArray(TokenBuilder.Audience, McpClients.Resource))
                .Permissions("read:messages", "write:messages").With("sub", "auth0|someone-else").Build();
            await using (var other = await McpClients.ConnectAsync(new HttpClient(new RoundRobin([.. ports.Select(p => new Uri($"http://127.0.0.1:{p}"))])),
                             new Uri($"http://127.0.0.1:{ports[0]}/mcp"), otherToken))
            {
                var notOwner = await CallAsync(other, "update_message", new() { ["id"] = ids[1], ["text"] = "not mine" }, error: true);
                Assert.Equal((403, "forbidden"), (notOwner.GetProperty("status").GetInt32(), notOwner.GetProperty("error").GetString()));
            }
            var readOnly = issuer.Token().With("aud", new System.Text.Json.Nodes.JsonArray(TokenBuilder.Audience, McpClients.Resource)).Permissions("read:messages").Build();
            await using (var reader = await McpClients.ConnectAsync(new HttpClient(), new Uri($"http://127.0.0.1:{ports[1]}/mcp"), readOnly))
                Assert.Equal(["get_message", "list_messages"], (await reader.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken)).Select(t => t.Name).Order());
            using (var anonymous = new HttpClient())
            {
                var refused = await anonymous.PostAsync($"http://127.0.0.1:{ports[0]}/mcp",
                    new StringContent("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""", System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
                Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
                Assert.Contains($"resource_metadata=\"http://127.0.0.1:{ports[0]}/.well-known/oauth-protected-resource/mcp\"", refused.Headers.WwwAuthenticate.ToString());
            }
            lock (roundRobin.Answered)
                Assert.True(roundRobin.Answered.Distinct().Count() == 2, $"answered by {string.Join(",", roundRobin.Answered)}");

            postgres.Stop(immediate: true);
            var down = await CallAsync(client, "create_message", new() { ["text"] = "during the outage" }, error: true);
            Assert.Equal((503, "temporarily_unavailable"), (down.GetProperty("status").GetInt32(), down.GetProperty("error").GetString()));
            Assert.Equal(5, down.GetProperty("retryAfter").GetInt32());

            postgres.Start();
            await Eventually.TrueAsync(async () =>
            {
                var result = await client.CallToolAsync("create_message", new Dictionary<string, object?> { ["text"] = "after" }, cancellationToken: TestContext.Current.CancellationToken);
                return result.IsError != true;
            }, "tool writes work again", 30);
        }
        finally
        {
            foreach (var instance in instances)
                await instance.DisposeAsync();
        }
    }

    /// <summary>
    /// What hostile messages can make the server hold: 200 messages of 1 MB, half with a <c>Content-Length</c>, half
    /// streamed without one, and 100 batches of 700 calls (about 80 KB each), against the app as its own process — every one refused, nothing
    /// stored, and resident memory grows by less than 40 MB (the gate reads at most 64 KiB of each).
    /// </summary>
    [Fact]
    public async Task Hostile_messages_are_refused_with_bounded_memory_and_nothing_stored()
    {
        await using var issuer = await LoopbackIssuer.StartAsync();
        var port = AppProcess.FreeLoopbackPort();
        await using var app = AppProcess.Start(work.FullName, issuer.ProductionApp(port, work.FullName, ("Mcp__Enabled", "true"), ("Mcp__Resource", McpClients.Resource),
            ("RateLimiting__Subject__PermitLimit", "100000"), ("RateLimiting__Ip__PermitLimit", "100000")));
        var api = $"http://127.0.0.1:{port}";
        Assert.Equal(HttpStatusCode.OK, (await app.WaitForAsync($"{api}/health/ready", TimeSpan.FromSeconds(60))).StatusCode);
        var token = issuer.Token().With("aud", new System.Text.Json.Nodes.JsonArray(TokenBuilder.Audience, McpClients.Resource))
            .Permissions("read:messages", "write:messages").Build();
        using var client = new HttpClient { BaseAddress = new Uri(api) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        client.DefaultRequestHeaders.Accept.ParseAdd("application/json");
        client.DefaultRequestHeaders.Accept.ParseAdd("text/event-stream");
        for (var i = 0; i < 20; i++)
            await client.PostAsync("/mcp", new StringContent("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""", System.Text.Encoding.UTF8, "application/json"), Ct);
        var before = app.ResidentMegabytes();

        var megabyte = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"create_message\",\"arguments\":{\"text\":\"" + new string('x', 1 << 20) + "\"}}}";
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 200; i++)
        {
            HttpContent content = i % 2 == 0
                ? new StringContent(megabyte, System.Text.Encoding.UTF8, "application/json")
                : new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(megabyte)));
            if (i % 2 == 1)
                content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            using var request = new HttpRequestMessage(HttpMethod.Post, "/mcp") { Content = content };
            request.Headers.TransferEncodingChunked = i % 2 == 1;
            statuses.Add((await client.SendAsync(request, Ct)).StatusCode);
        }
        var batch = "[" + string.Join(",", Enumerable.Range(0, 700).Select(i => "{\"jsonrpc\":\"2.0\",\"id\":" + i + ",\"method\":\"tools/call\",\"params\":{\"name\":\"create_message\",\"arguments\":{\"text\":\"b\"}}}")) + "]";
        for (var i = 0; i < 100; i++)
            statuses.Add((await client.PostAsync("/mcp", new StringContent(batch, System.Text.Encoding.UTF8, "application/json"), Ct)).StatusCode);
        var after = app.ResidentMegabytes();

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status));
        TestContext.Current.TestOutputHelper?.WriteLine($"resident memory {before:F1} MB before, {after:F1} MB after 300 hostile messages (+{after - before:F1} MB)");
        Assert.True(after - before < 40, $"resident memory grew from {before:F1} MB to {after:F1} MB");
        using var reader = new HttpClient { BaseAddress = new Uri(api) };
        reader.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", issuer.Token().Scope("read:messages").Build());
        var page = JsonDocument.Parse(await reader.GetStringAsync("/api/messages", Ct)).RootElement;
        Assert.Single(page.GetProperty("messages").EnumerateArray());
    }
}
