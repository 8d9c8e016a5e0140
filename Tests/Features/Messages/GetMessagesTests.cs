using System.Net;
using System.Text.Json.Nodes;
using System.Net.Http.Json;
using FastEndpoints;
using MySecureApi.Features.Messages.GetMessages;
using MySecureApi.Tests.Fixtures;
using MySecureApi.Infrastructure.Auth.Tokens;

namespace MySecureApi.Tests.Features.Messages;

public sealed class GetMessagesTests(AppFixture app)
{
    /// <summary>A new install answers what the Express version answers, plus the stored message's members and the cursor.</summary>
    private const string Body = """{"messages":[{"id":1,"text":"Hello from the API!","author":"system","createdAt":"2026-01-01T00:00:00.000Z","updatedAt":"2026-01-01T00:00:00.000Z"}],"nextCursor":null}""";

    [Fact]
    public async Task Token_with_read_messages_scope_gets_200_with_the_messages()
    {
        var response = await app.GetAsync<Endpoint, Request, Response>(new Request(), app.Token().Scope("openid profile read:messages").Build());

        await Ok.AssertAsync(response, Body);
    }

    [Fact]
    public async Task Token_with_only_the_read_messages_permission_gets_200()
    {
        var response = await app.GetAsync<Endpoint, Request, Response>(new Request(), app.Token().Without("scope").Permissions("read:messages").Build());

        await Ok.AssertAsync(response, Body);
    }

    [Fact]
    public async Task Token_with_scope_as_a_json_array_gets_200()
    {
        var response = await app.GetAsync<Endpoint, Request, Response>(new Request(), app.Token().With("scope", new JsonArray("openid", "read:messages")).Build());

        await Ok.AssertAsync(response, Body);
    }

    [Fact]
    public async Task Token_with_a_superset_of_scopes_gets_200()
    {
        var response = await app.GetAsync<Endpoint, Request, Response>(new Request(), app.Token().Scope("write:messages read:messages admin:access").Permissions("delete:messages").Build());

        await Ok.AssertAsync(response, Body);
    }

    [Fact]
    public async Task No_token_gets_401_unauthorized()
    {
        await Problem.AssertUnauthorizedAsync(await app.GetAsync<Endpoint, Request, Response>(new Request(), null));
    }

    [Fact]
    public async Task Token_for_another_audience_gets_401_invalid_token()
    {
        var response = await app.GetAsync<Endpoint, Request, Response>(new Request(), app.Token().Scope("read:messages").With("aud", "https://other.example.com").Build());

        await Problem.AssertInvalidTokenAsync(response, TokenFailure.InvalidAudience);
    }

    [Fact]
    public async Task Token_without_read_messages_gets_403_insufficient_scope()
    {
        var response = await app.GetAsync<Endpoint, Request, Response>(new Request(), app.Token().Scope("openid profile write:messages").Permissions("admin:access").Build());

        await Problem.AssertInsufficientScopeAsync(response, "read:messages");
    }

    [Theory]
    [InlineData("read:messages:all")]
    [InlineData("read")]
    [InlineData("READ:MESSAGES")]
    [InlineData("read:message")]
    public async Task Token_with_a_lookalike_scope_gets_403_insufficient_scope(string lookalike)
    {
        var response = await app.GetAsync<Endpoint, Request, Response>(new Request(), app.Token().Scope(lookalike).Permissions(lookalike).Build());

        await Problem.AssertInsufficientScopeAsync(response, "read:messages");
    }

    [Fact]
    public async Task Permissions_given_as_a_space_delimited_string_are_not_split()
    {
        var response = await app.GetAsync<Endpoint, Request, Response>(new Request(), app.Token().Without("scope").With("permissions", "openid read:messages").Build());

        await Problem.AssertInsufficientScopeAsync(response, "read:messages");
    }
}

/// <summary>Keyset pagination and the query rules, on each database.</summary>
public abstract class GetMessagesPagingTests(AppFixture app, MessagesDatabase database)
{
    [Fact]
    public async Task Pages_follow_the_cursor_in_ascending_id_to_the_end()
    {
        await using var host = database.Host(app);
        var client = host.ClientFor(app, "auth0|pager");
        for (var i = 1; i <= 4; i++)
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/messages", new { text = $"m{i}" }, Ct)).StatusCode);

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var (response, page) = await client.GETAsync<Endpoint, Request, Response>(new Request { Limit = 2, Cursor = cursor });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(page.Messages.Count <= 2);
            seen.AddRange(page.Messages.Select(m => m.Text));
            cursor = page.NextCursor;
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(["Hello from the API!", "m1", "m2", "m3", "m4"], seen);
        Assert.Equal(3, pages);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("limit=abc", "limit")]
    [InlineData("cursor=nonsense", "cursor")]
    [InlineData("cursor=YWZ0ZXI6LTE", "cursor")]
    public async Task A_bad_limit_or_cursor_gets_400_naming_it(string query, string field)
    {
        await using var host = database.Host(app);

        var response = await host.ClientFor(app, "auth0|pager").GetAsync($"/api/messages?{query}", Ct);

        var body = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "invalid_request", "The request is invalid");
        Assert.True(body.GetProperty("errors").TryGetProperty(field, out _), body.GetRawText());
    }

    [Fact]
    public async Task A_limit_of_100_is_allowed()
    {
        await using var host = database.Host(app);

        var (response, page) = await host.ClientFor(app, "auth0|pager").GETAsync<Endpoint, Request, Response>(new Request { Limit = 100 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(page.Messages);
        Assert.Null(page.NextCursor);
    }
}

public sealed class GetMessagesPagingTestsOnSqlite(AppFixture app) : GetMessagesPagingTests(app, MessagesDatabase.Sqlite);

public sealed class GetMessagesPagingTestsOnPostgres(AppFixture app, PostgresServer server) : GetMessagesPagingTests(app, MessagesDatabase.Postgres(server));
