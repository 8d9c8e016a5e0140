using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MySecureApi.Tests.Fixtures;

namespace MySecureApi.Tests.Features.Messages;

/// <summary>
/// Delegated tokens (RFC 8693 §4.1 <c>act</c>) on the messages, on each database: a write records who acted, a read
/// shows it, an undelegated write clears it, and <c>DELETE</c> refuses a delegated call while it still takes the author's own.
/// </summary>
public abstract class DelegatedWriteTests(AppFixture app, MessagesDatabase database)
{
    private const string Alice = "auth0|alice";
    private const string Agent = "agent|calendar-assistant";

    private static Action<TokenBuilder> ActingFor(string actor, JsonObject? earlier = null) =>
        t => t.With("act", earlier is null ? new JsonObject { ["sub"] = actor } : new JsonObject { ["sub"] = actor, ["act"] = earlier });

    private static async Task<JsonElement> BodyAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;

    [Fact]
    public async Task A_delegated_create_records_the_actor_and_an_own_one_does_not()
    {
        var logs = new LogCollector();
        await using var host = database.Host(app).WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddLogging(l => l.AddProvider(logs))));
        var agent = host.ClientFor(app, Alice, edit: ActingFor(Agent, new JsonObject { ["sub"] = "agent|orchestrator" }));
        var alice = host.ClientFor(app, Alice);

        var delegated = await agent.PostAsJsonAsync("/api/messages", new { text = "from my assistant" }, Ct);
        var own = await alice.PostAsJsonAsync("/api/messages", new { text = "from me" }, Ct);

        Assert.Equal(HttpStatusCode.Created, delegated.StatusCode);
        var created = await BodyAsync(delegated);
        Assert.Equal((Alice, Agent), (created.GetProperty("author").GetString(), created.GetProperty("actor").GetString()));
        Assert.Equal(HttpStatusCode.Created, own.StatusCode);
        Assert.False((await BodyAsync(own)).TryGetProperty("actor", out _));
        // Read back from the database, by another request (the cached token's principal keeps its actor too).
        var read = await BodyAsync(await agent.GetAsync(delegated.Headers.Location, Ct));
        Assert.Equal(Agent, read.GetProperty("actor").GetString());
        Assert.Contains(logs.Entries, e => e.Message == $"Message {created.GetProperty("id").GetInt64()} created by {Agent} acting for {Alice}");
    }

    [Fact]
    public async Task An_update_records_who_made_it()
    {
        await using var host = database.Host(app);
        var alice = host.ClientFor(app, Alice);
        var agent = host.ClientFor(app, Alice, edit: ActingFor(Agent));
        var created = await alice.PostAsJsonAsync("/api/messages", new { text = "draft" }, Ct);
        var id = (await BodyAsync(created)).GetProperty("id").GetInt64();

        var byAgent = await agent.PutAsJsonAsync($"/api/messages/{id}", new { text = "polished by the agent" }, Ct);
        Assert.Equal(HttpStatusCode.OK, byAgent.StatusCode);
        Assert.Equal(Agent, (await BodyAsync(byAgent)).GetProperty("actor").GetString());

        var byAlice = await alice.PutAsJsonAsync($"/api/messages/{id}", new { text = "final, by me" }, Ct);
        Assert.Equal(HttpStatusCode.OK, byAlice.StatusCode);
        Assert.False((await BodyAsync(byAlice)).TryGetProperty("actor", out _));
    }

    [Fact]
    public async Task Delete_refuses_a_delegated_call_and_takes_the_author_own()
    {
        await using var host = database.Host(app);
        var alice = host.ClientFor(app, Alice);
        var agent = host.ClientFor(app, Alice, edit: ActingFor(Agent));
        var adminAgent = host.ClientFor(app, "auth0|admin", "read:messages write:messages",
            t => { t.Permissions("admin:access"); t.With("role", "admin"); ActingFor(Agent)(t); });
        var id = (await BodyAsync(await alice.PostAsJsonAsync("/api/messages", new { text = "mine" }, Ct))).GetProperty("id").GetInt64();

        foreach (var delegated in new[] { agent, adminAgent })
        {
            var refused = await delegated.DeleteAsync($"/api/messages/{id}", Ct);
            var body = await Problem.AssertAsync(refused, HttpStatusCode.Forbidden, "delegation_refused", "Delegated calls are not allowed here");
            Assert.Equal("This route does not accept a token that acts on behalf of its subject (act claim)", body.GetProperty("detail").GetString());
            Assert.Null(Problem.Challenge(refused));
        }
        Assert.Equal(HttpStatusCode.OK, (await alice.GetAsync($"/api/messages/{id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await alice.DeleteAsync($"/api/messages/{id}", Ct)).StatusCode);
    }

    [Fact]
    public async Task A_delegated_token_without_the_permission_gets_insufficient_scope_first()
    {
        await using var host = database.Host(app);
        var agent = host.ClientFor(app, Alice, "read:messages", ActingFor(Agent));

        await Problem.AssertInsufficientScopeAsync(await agent.DeleteAsync("/api/messages/1", Ct), "write:messages");
    }
}

public sealed class DelegatedWriteTestsOnSqlite(AppFixture app) : DelegatedWriteTests(app, MessagesDatabase.Sqlite);

public sealed class DelegatedWriteTestsOnPostgres(AppFixture app, PostgresServer server) : DelegatedWriteTests(app, MessagesDatabase.Postgres(server));
