using System.Net;
using System.Net.Http.Json;
using FastEndpoints;
using MySecureApi.Features.Messages;
using MySecureApi.Features.Messages.PutMessage;
using MySecureApi.Tests.Fixtures;

namespace MySecureApi.Tests.Features.Messages;

/// <summary><c>PUT /api/messages/{id}</c> on each database: the owner rule, the admin override, <c>If-Match</c>, validation.</summary>
public abstract class PutMessageTests(AppFixture app, MessagesDatabase database)
{
    private const string Alice = "auth0|alice";

    private static async Task<(Message Message, string ETag)> CreateAsync(HttpClient client, string text)
    {
        var response = await client.PostAsJsonAsync("/api/messages", new { text }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return ((await response.Content.ReadFromJsonAsync<Message>(Ct))!, response.Headers.ETag!.ToString());
    }

    private static async Task<HttpResponseMessage> PutAsync(HttpClient client, long id, object body, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/messages/{id}") { Content = JsonContent.Create(body) };
        if (ifMatch is not null)
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return await client.SendAsync(request, Ct);
    }

    [Fact]
    public async Task The_author_replaces_the_text_and_gets_a_new_etag()
    {
        await using var host = database.Host(app);
        var alice = host.ClientFor(app, Alice);
        var (created, etag) = await CreateAsync(alice, "draft");

        var (response, updated) = await alice.PUTAsync<Endpoint, Request, Message>(new Request { Id = created.Id, Text = " final " });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(("final", Alice, created.CreatedAt), (updated.Text, updated.Author, updated.CreatedAt));
        Assert.True(string.CompareOrdinal(updated.UpdatedAt, created.UpdatedAt) >= 0);
        Assert.Equal($"\"{created.Id}-2\"", response.Headers.ETag?.ToString());
        Assert.NotEqual(etag, response.Headers.ETag?.ToString());
    }

    [Fact]
    public async Task Someone_else_gets_403_forbidden_and_the_message_is_unchanged()
    {
        await using var host = database.Host(app);
        var (created, _) = await CreateAsync(host.ClientFor(app, Alice), "mine");

        var response = await PutAsync(host.ClientFor(app, "auth0|mallory"), created.Id, new { text = "yours now" });

        await Problem.AssertForbiddenAsync(response);
        var read = await host.ClientFor(app, Alice).GetFromJsonAsync<Message>($"/api/messages/{created.Id}", Ct);
        Assert.Equal("mine", read!.Text);
    }

    [Fact]
    public async Task An_admin_may_change_anyones_message()
    {
        await using var host = database.Host(app);
        var (created, _) = await CreateAsync(host.ClientFor(app, Alice), "needs moderation");
        var admin = host.ClientFor(app, "auth0|admin", "write:messages admin:access", t => t.With("role", "admin"));

        var response = await PutAsync(admin, created.Id, new { text = "moderated" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Alice, (await response.Content.ReadFromJsonAsync<Message>(Ct))!.Author);
    }

    [Theory]
    [InlineData("write:messages admin:access", null)]
    [InlineData("write:messages", "admin")]
    [InlineData("write:messages admin:access", "Admin")]
    public async Task Half_an_admin_is_not_an_admin(string scope, string? role)
    {
        await using var host = database.Host(app);
        var (created, _) = await CreateAsync(host.ClientFor(app, Alice), "mine");
        var caller = host.ClientFor(app, "auth0|half", scope, t =>
        {
            if (role is not null)
                t.With("role", role);
        });

        await Problem.AssertForbiddenAsync(await PutAsync(caller, created.Id, new { text = "x" }));
    }

    [Fact]
    public async Task If_match_with_the_current_etag_succeeds_and_a_stale_one_gets_412()
    {
        await using var host = database.Host(app);
        var alice = host.ClientFor(app, Alice);
        var (created, etag) = await CreateAsync(alice, "v1");

        var current = await PutAsync(alice, created.Id, new { text = "v2" }, etag);
        var stale = await PutAsync(alice, created.Id, new { text = "v3" }, etag);

        Assert.Equal(HttpStatusCode.OK, current.StatusCode);
        await Problem.AssertAsync(stale, HttpStatusCode.PreconditionFailed, "precondition_failed", "The resource has changed");
        Assert.Equal("v2", (await alice.GetFromJsonAsync<Message>($"/api/messages/{created.Id}", Ct))!.Text);
    }

    /// <summary>RFC 9110 §13.1.1: <c>If-Match</c> uses the strong comparison, so a weak tag never matches, even of the current version.</summary>
    [Fact]
    public async Task If_match_compares_strongly_so_a_weak_tag_of_the_current_version_gets_412()
    {
        await using var host = database.Host(app);
        var alice = host.ClientFor(app, Alice);
        var (created, etag) = await CreateAsync(alice, "v1");

        var weak = await PutAsync(alice, created.Id, new { text = "v2" }, $"W/{etag}");

        await Problem.AssertAsync(weak, HttpStatusCode.PreconditionFailed, "precondition_failed", "The resource has changed");
        Assert.Equal("v1", (await alice.GetFromJsonAsync<Message>($"/api/messages/{created.Id}", Ct))!.Text);
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(alice, created.Id, new { text = "v2" }, etag)).StatusCode);
    }

    /// <summary><c>sub</c> is compared exactly: <c>auth0|Alice</c> is not <c>auth0|alice</c>.</summary>
    [Fact]
    public async Task The_author_is_matched_case_sensitively()
    {
        await using var host = database.Host(app);
        var (created, _) = await CreateAsync(host.ClientFor(app, Alice), "mine");

        await Problem.AssertForbiddenAsync(await PutAsync(host.ClientFor(app, "auth0|Alice"), created.Id, new { text = "yours now" }));
        Assert.Equal("mine", (await host.ClientFor(app, Alice).GetFromJsonAsync<Message>($"/api/messages/{created.Id}", Ct))!.Text);
    }

    [Fact]
    public async Task No_such_message_gets_404_and_a_bad_text_400()
    {
        await using var host = database.Host(app);
        var alice = host.ClientFor(app, Alice);

        await Problem.AssertAsync(await PutAsync(alice, 424242, new { text = "x" }), HttpStatusCode.NotFound, "not_found", "The requested resource was not found");
        var invalid = await PutAsync(alice, 1, new { text = "" });
        var body = await Problem.AssertAsync(invalid, HttpStatusCode.BadRequest, "invalid_request", "The request is invalid");
        Assert.True(body.GetProperty("errors").TryGetProperty("text", out _));
    }

    [Fact]
    public async Task Without_write_messages_403_and_without_a_token_401()
    {
        await using var host = database.Host(app);

        await Problem.AssertInsufficientScopeAsync(await PutAsync(host.ClientFor(app, Alice, "read:messages"), 1, new { text = "x" }), "write:messages");
        await Problem.AssertUnauthorizedAsync(await PutAsync(host.CreateClient(), 1, new { text = "x" }));
    }
}

public sealed class PutMessageTestsOnSqlite(AppFixture app) : PutMessageTests(app, MessagesDatabase.Sqlite);

public sealed class PutMessageTestsOnPostgres(AppFixture app, PostgresServer server) : PutMessageTests(app, MessagesDatabase.Postgres(server));
