using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using MySecureApi.Features.Messages.Data;
using MySecureApi.Tests.Fixtures;

namespace MySecureApi.Tests.Features.Mcp;

/// <summary>
/// <c>/mcp</c> as an OAuth protected resource (the MCP authorization spec over RFC 9728): 401 with the Bearer challenge
/// naming the MCP resource's own metadata document, 403 <c>insufficient_scope</c> with <c>scope=</c> for a tool beyond
/// the token, audience binding, the path-suffixed document — and hostile messages, each a clear error with nothing stored.
/// </summary>
public sealed class McpAuthorizationTests(AppFixture app)
{
    private const string Metadata = "resource_metadata=\"http://localhost/.well-known/oauth-protected-resource/mcp\"";

    private Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> Host(params (string, string?)[] settings) =>
        MessagesDatabase.Sqlite.Host(app, [.. McpClients.Enabled, .. settings]);

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string json, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/mcp") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Accept", "application/json, text/event-stream");
        if (token is not null)
            request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {token}");
        return await client.SendAsync(request, Ct);
    }

    private static string Call(string tool, string arguments) =>
        $$$"""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"{{{tool}}}","arguments":{{{arguments}}}}}""";

    private static async Task<int> StoredAsync(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> host)
    {
        using var scope = host.Services.CreateScope();
        return scope.ServiceProvider.GetRequiredService<MessagesDbContext>().Messages.Count();
    }

    [Fact]
    public async Task Without_a_token_the_answer_is_401_naming_the_mcp_metadata()
    {
        await using var host = Host();
        var response = await PostAsync(host.CreateClient(), Call("list_messages", "{}"), null);

        await Problem.AssertAsync(response, HttpStatusCode.Unauthorized, "unauthorized", "Authentication required");
        Assert.StartsWith($"Bearer realm=\"api\", {Metadata}", Problem.Challenge(response));
    }

    [Fact]
    public async Task An_invalid_token_is_401_invalid_token()
    {
        await using var host = Host();
        var response = await PostAsync(host.CreateClient(), Call("list_messages", "{}"), app.McpToken("read:messages").ExpiresIn(TimeSpan.FromHours(-1)).Build());

        await Problem.AssertAsync(response, HttpStatusCode.Unauthorized, "invalid_token", "Authentication required");
        Assert.Contains(Metadata, Problem.Challenge(response));
    }

    [Fact]
    public async Task A_token_for_another_audience_is_refused_by_mcp_but_not_by_the_api()
    {
        await using var host = Host();
        var apiOnly = app.Token().Permissions("read:messages").Build();

        var response = await PostAsync(host.CreateClient(), Call("list_messages", "{}"), apiOnly);

        var body = await Problem.AssertAsync(response, HttpStatusCode.Unauthorized, "invalid_token", "Authentication required");
        Assert.Equal("The token audience is invalid", body.GetProperty("detail").GetString());
        Assert.StartsWith($"Bearer realm=\"api\", error=\"invalid_token\", error_description=\"The token audience is invalid\", {Metadata}", Problem.Challenge(response));
        Assert.Equal(HttpStatusCode.OK, (await host.CreateClient().GetWithTokenAsync("/api/messages", apiOnly)).StatusCode);
    }

    [Fact]
    public async Task A_tool_beyond_the_token_is_403_insufficient_scope_with_its_scope()
    {
        await using var host = Host();
        var before = await StoredAsync(host);

        var response = await PostAsync(host.CreateClient(), Call("create_message", """{"text":"hi"}"""), app.McpToken("read:messages").Build());

        var body = await Problem.AssertAsync(response, HttpStatusCode.Forbidden, "insufficient_scope", "Missing required permissions");
        Assert.Equal("Insufficient Scope", body.GetProperty("detail").GetString());
        Assert.StartsWith($"Bearer realm=\"api\", error=\"insufficient_scope\", error_description=\"Insufficient Scope\", scope=\"write:messages\", {Metadata}", Problem.Challenge(response));
        Assert.Equal(before, await StoredAsync(host));
    }

    [Fact]
    public async Task A_dpop_bound_token_calls_tools_with_a_proof_for_post_mcp()
    {
        await using var host = Host();
        using var key = DPoPKey.Es256();
        var token = app.McpToken("read:messages").With("cnf", new System.Text.Json.Nodes.JsonObject { ["jkt"] = key.Thumbprint }).Build();

        async Task<HttpResponseMessage> SendAsync(string? proof)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/mcp") { Content = new StringContent(Call("list_messages", "{}"), Encoding.UTF8, "application/json") };
            request.Headers.TryAddWithoutValidation("Accept", "application/json, text/event-stream");
            request.Headers.TryAddWithoutValidation("Authorization", $"DPoP {token}");
            if (proof is not null)
                request.Headers.TryAddWithoutValidation("DPoP", proof);
            return await host.CreateClient().SendAsync(request, Ct);
        }

        var answered = await SendAsync(new DPoPProofBuilder(key, "POST", "http://localhost/mcp", token).Build());
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.Contains("\"messages\"", await answered.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(null)).StatusCode);
    }

    [Fact]
    public async Task The_mcp_metadata_document_names_its_resource_issuers_and_scopes()
    {
        await using var host = Host();
        var document = JsonDocument.Parse(await host.CreateClient().GetStringAsync("/.well-known/oauth-protected-resource/mcp", Ct)).RootElement;

        Assert.Equal(McpClients.Resource, document.GetProperty("resource").GetString());
        Assert.Equal([TestIssuer.Issuer], document.GetProperty("authorization_servers").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["read:messages", "write:messages"], document.GetProperty("scopes_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["header"], document.GetProperty("bearer_methods_supported").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task With_mcp_off_there_is_no_endpoint_and_no_document()
    {
        await using var host = MessagesDatabase.Sqlite.Host(app);

        Assert.Equal(HttpStatusCode.NotFound, (await host.CreateClient().GetAsync("/.well-known/oauth-protected-resource/mcp", Ct)).StatusCode);
        var response = await PostAsync(host.CreateClient(), Call("list_messages", "{}"), app.McpToken("read:messages").Build());
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    public static TheoryData<string, string> Hostile => new()
    {
        { "oversized arguments", Call("create_message", $$"""{"text":"{{new string('x', 70_000)}}"}""") },
        { "a batch of 5,000 calls", "[" + string.Join(",", Enumerable.Range(0, 5_000).Select(i => Call("create_message", $$"""{"text":"b{{i}}"}"""))) + "]" },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public async Task Oversized_messages_are_413_and_store_nothing(string _, string message)
    {
        await using var host = Host();
        var before = await StoredAsync(host);

        var response = await PostAsync(host.CreateClient(), message, app.McpToken("read:messages", "write:messages").Build());

        await Problem.AssertAsync(response, HttpStatusCode.RequestEntityTooLarge, "payload_too_large", "The request body is too large");
        Assert.Equal(before, await StoredAsync(host));
    }

    public static TheoryData<string, string> Malformed => new()
    {
        { "not JSON", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":" },
        { "not JSON-RPC", """{"hello":"world"}""" },
        { "an unknown tool", Call("drop_all_messages", "{}") },
        { "an unknown method", """{"jsonrpc":"2.0","id":1,"method":"messages/delete_all","params":{}}""" },
        { "a small batch", "[" + string.Join(",", Enumerable.Range(0, 20).Select(i => Call("create_message", $$"""{"text":"b{{i}}"}"""))) + "]" },
        { "text past the schema", Call("create_message", $$"""{"text":"{{new string('x', 600)}}"}""") },
        { "an argument the tool does not have", Call("create_message", """{"text":"x","author":"auth0|someone-else"}""") },
        { "arguments that are not an object", Call("create_message", "[1,2,3]") },
        { "deeply nested arguments", Call("create_message", "{\"text\":" + new string('[', 500) + new string(']', 500) + "}") },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task Malformed_calls_get_a_clear_error_and_store_nothing(string _, string message)
    {
        await using var host = Host();
        var before = await StoredAsync(host);

        var response = await PostAsync(host.CreateClient(), message, app.McpToken("read:messages", "write:messages").Build());
        var text = await response.Content.ReadAsStringAsync(Ct);

        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        Assert.True(text.Contains("\"error\"", StringComparison.Ordinal) || text.Contains("\"isError\":true", StringComparison.Ordinal), text);
        Assert.DoesNotContain("   at ", text);
        Assert.DoesNotContain("Exception", text);
        Assert.Equal(before, await StoredAsync(host));
    }
}
