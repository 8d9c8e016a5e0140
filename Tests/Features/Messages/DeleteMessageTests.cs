using System.Net;
using System.Net.Http.Json;
using MySecureApi.Features.Messages;
using MySecureApi.Tests.Fixtures;

namespace MySecureApi.Tests.Features.Messages;

/// <summary><c>DELETE /api/messages/{id}</c> on each database: the owner rule, the admin override, <c>If-Match</c>.</summary>
public abstract class DeleteMessageTests(AppFixture app, MessagesDatabase database)
{
    private const string Alice = "auth0|alice";

    private static async Task<(long Id, string ETag)> CreateAsync(HttpClient client)
    {
        var response = await client.PostAsJsonAsync("/api/messages", new { text = "to delete" }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return ((await response.Content.ReadFromJsonAsync<Message>(Ct))!.Id, response.Headers.ETag!.ToString());
    }

    private static async Task<HttpResponseMessage> DeleteAsync(HttpClient client, long id, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, $"/api/messages/{id}");
        if (ifMatch is not null)
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return await client.SendAsync(request, Ct);
    }

    [Fact]
    public async Task The_author_deletes_it_and_it_is_gone()
    {
        await using var host = database.Host(app);
        var alice = host.ClientFor(app, Alice);
        var (id, _) = await CreateAsync(alice);

        var response = await DeleteAsync(alice, id);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await alice.GetAsync($"/api/messages/{id}", Ct)).StatusCode);
        await Problem.AssertAsync(await DeleteAsync(alice, id), HttpStatusCode.NotFound, "not_found", "The requested resource was not found");
    }

    [Fact]
    public async Task Someone_else_gets_403_and_an_admin_may()
    {
        await using var host = database.Host(app);
        var (id, _) = await CreateAsync(host.ClientFor(app, Alice));
        var admin = host.ClientFor(app, "auth0|admin", "write:messages admin:access", t => t.With("role", "admin"));

        await Problem.AssertForbiddenAsync(await DeleteAsync(host.ClientFor(app, "auth0|mallory"), id));
        Assert.Equal(HttpStatusCode.NoContent, (await DeleteAsync(admin, id)).StatusCode);
    }

    [Fact]
    public async Task A_stale_if_match_gets_412_and_the_message_stays()
    {
        await using var host = database.Host(app);
        var alice = host.ClientFor(app, Alice);
        var (id, etag) = await CreateAsync(alice);
        Assert.Equal(HttpStatusCode.OK, (await alice.PutAsJsonAsync($"/api/messages/{id}", new { text = "edited" }, Ct)).StatusCode);

        var stale = await DeleteAsync(alice, id, etag);

        await Problem.AssertAsync(stale, HttpStatusCode.PreconditionFailed, "precondition_failed", "The resource has changed");
        Assert.Equal(HttpStatusCode.OK, (await alice.GetAsync($"/api/messages/{id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await DeleteAsync(alice, id, $"\"{id}-2\"")).StatusCode);
    }

    /// <summary>RFC 9110 §13.1.1: <c>If-Match</c> uses the strong comparison, so a weak tag never matches, even of the current version.</summary>
    [Fact]
    public async Task If_match_compares_strongly_so_a_weak_tag_of_the_current_version_gets_412()
    {
        await using var host = database.Host(app);
        var alice = host.ClientFor(app, Alice);
        var (id, etag) = await CreateAsync(alice);

        await Problem.AssertAsync(await DeleteAsync(alice, id, $"W/{etag}"), HttpStatusCode.PreconditionFailed, "precondition_failed", "The resource has changed");
        Assert.Equal(HttpStatusCode.OK, (await alice.GetAsync($"/api/messages/{id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await DeleteAsync(alice, id, etag)).StatusCode);
    }

    /// <summary><c>sub</c> is compared exactly: <c>auth0|Alice</c> may not delete <c>auth0|alice</c>'s message.</summary>
    [Fact]
    public async Task The_author_is_matched_case_sensitively()
    {
        await using var host = database.Host(app);
        var (id, _) = await CreateAsync(host.ClientFor(app, Alice));

        await Problem.AssertForbiddenAsync(await DeleteAsync(host.ClientFor(app, "auth0|Alice"), id));
        Assert.Equal(HttpStatusCode.OK, (await host.ClientFor(app, Alice).GetAsync($"/api/messages/{id}", Ct)).StatusCode);
    }

    [Fact]
    public async Task Without_write_messages_403_and_without_a_token_401()
    {
        await using var host = database.Host(app);

        await Problem.AssertInsufficientScopeAsync(await DeleteAsync(host.ClientFor(app, Alice, "read:messages"), 1), "write:messages");
        await Problem.AssertUnauthorizedAsync(await DeleteAsync(host.CreateClient(), 1));
    }
}

public sealed class DeleteMessageTestsOnSqlite(AppFixture app) : DeleteMessageTests(app, MessagesDatabase.Sqlite);

public sealed class DeleteMessageTestsOnPostgres(AppFixture app, PostgresServer server) : DeleteMessageTests(app, MessagesDatabase.Postgres(server));
