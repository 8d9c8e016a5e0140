using System.Net;
using System.Net.Http.Json;
using FastEndpoints;
using MySecureApi.Features.Messages;
using MySecureApi.Features.Messages.GetMessage;
using MySecureApi.Tests.Fixtures;

namespace MySecureApi.Tests.Features.Messages;

/// <summary><c>GET /api/messages/{id}</c> on each database: the message, its ETag, conditional reads, 404s.</summary>
public abstract class GetMessageTests(AppFixture app, MessagesDatabase database)
{
    [Fact]
    public async Task The_seed_message_is_read_with_its_etag()
    {
        await using var host = database.Host(app);

        var (response, message) = await host.ClientFor(app, "auth0|reader", "read:messages").GETAsync<Endpoint, Request, Message>(new Request { Id = 1 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("\"1-1\"", response.Headers.ETag?.ToString());
        Assert.Equal(new Message(1, "Hello from the API!", "system", "2026-01-01T00:00:00.000Z", "2026-01-01T00:00:00.000Z"), message);
    }

    [Theory]
    [InlineData("\"1-1\"")]
    [InlineData("W/\"1-1\"")]
    [InlineData("\"9-9\", \"1-1\"")]
    [InlineData("*")]
    public async Task If_none_match_with_the_current_tag_gets_304_without_a_body(string ifNoneMatch)
    {
        await using var host = database.Host(app);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/messages/1");
        request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);

        var response = await host.ClientFor(app, "auth0|reader", "read:messages").SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Equal("\"1-1\"", response.Headers.ETag?.ToString());
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(Ct));
    }

    [Fact]
    public async Task If_none_match_with_a_stale_tag_gets_the_message()
    {
        await using var host = database.Host(app);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/messages/1");
        request.Headers.TryAddWithoutValidation("If-None-Match", "\"1-0\"");

        var response = await host.ClientFor(app, "auth0|reader", "read:messages").SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/api/messages/999999")]
    [InlineData("/api/messages/0")]
    [InlineData("/api/messages/-1")]
    [InlineData("/api/messages/abc")]
    [InlineData("/api/messages/1.5")]
    public async Task No_such_message_gets_404(string path)
    {
        await using var host = database.Host(app);

        var response = await host.ClientFor(app, "auth0|reader", "read:messages").GetAsync(path, Ct);

        await Problem.AssertAsync(response, HttpStatusCode.NotFound, "not_found", "The requested resource was not found");
    }

    [Fact]
    public async Task Without_read_messages_it_is_403_and_without_a_token_401()
    {
        await using var host = database.Host(app);

        await Problem.AssertInsufficientScopeAsync(await host.ClientFor(app, "auth0|writer", "write:messages").GetAsync("/api/messages/1", Ct), "read:messages");
        await Problem.AssertUnauthorizedAsync(await host.CreateClient().GetAsync("/api/messages/1", Ct));
    }

    [Fact]
    public async Task A_created_message_is_read_back_as_created()
    {
        await using var host = database.Host(app);
        var client = host.ClientFor(app, "auth0|writer");
        var created = await client.PostAsJsonAsync("/api/messages", new { text = "round trip" }, Ct);
        var body = await created.Content.ReadFromJsonAsync<Message>(Ct);

        var (response, message) = await client.GETAsync<Endpoint, Request, Message>(new Request { Id = body!.Id });

        Assert.Equal(body, message);
        Assert.Equal(created.Headers.ETag, response.Headers.ETag);
    }
}

public sealed class GetMessageTestsOnSqlite(AppFixture app) : GetMessageTests(app, MessagesDatabase.Sqlite);

public sealed class GetMessageTestsOnPostgres(AppFixture app, PostgresServer server) : GetMessageTests(app, MessagesDatabase.Postgres(server));
