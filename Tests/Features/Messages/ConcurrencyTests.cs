using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MySecureApi.Features.Messages;
using MySecureApi.Tests.Fixtures;

namespace MySecureApi.Tests.Features.Messages;

/// <summary>Concurrent writers on each database: nothing lost, nothing doubled, no silent overwrite.</summary>
public abstract class ConcurrencyTests(AppFixture app, MessagesDatabase database)
{
    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string text, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages") { Content = JsonContent.Create(new { text }) };
        if (key is not null)
            request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        return await client.SendAsync(request, Ct);
    }

    private static async Task<List<JsonElement>> AllAsync(HttpClient client)
    {
        var all = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = await client.GetFromJsonAsync<JsonElement>($"/api/messages?limit=100{(cursor is null ? "" : $"&cursor={cursor}")}", Ct);
            all.AddRange(page.GetProperty("messages").EnumerateArray());
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);
        return all;
    }

    [Fact]
    public async Task Fifty_parallel_posts_with_distinct_keys_make_fifty_rows()
    {
        await using var host = database.Host(app, ("RateLimiting:Enabled", "false"));
        var client = host.ClientFor(app, "auth0|crowd");

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => PostAsync(client, $"parallel {i}", $"key-{i}")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        Assert.Equal(50, responses.Select(r => r.Headers.Location).Distinct().Count());
        Assert.Equal(50, (await AllAsync(client)).Count(m => m.GetProperty("text").GetString()!.StartsWith("parallel ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Twenty_parallel_posts_with_one_key_make_one_row()
    {
        await using var host = database.Host(app, ("RateLimiting:Enabled", "false"));
        var client = host.ClientFor(app, "auth0|retrier");

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => PostAsync(client, "exactly once", "the-one-key")));

        var created = responses.Where(r => r.StatusCode == HttpStatusCode.Created).ToList();
        Assert.Single(created, r => !r.Headers.Contains("Idempotent-Replayed"));
        Assert.All(created, r => Assert.Equal(created[0].Headers.Location, r.Headers.Location));
        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, r.StatusCode.ToString()));
        foreach (var inUse in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict))
            await Problem.AssertAsync(inUse, HttpStatusCode.Conflict, "idempotency_key_in_use", "A request with this Idempotency-Key is still being processed");
        Assert.Single(await AllAsync(client), m => m.GetProperty("text").GetString() == "exactly once");
    }

    [Fact]
    public async Task Two_puts_from_the_same_etag_one_wins_and_one_gets_412()
    {
        await using var host = database.Host(app, ("RateLimiting:Enabled", "false"));
        var client = host.ClientFor(app, "auth0|editor");
        var created = await PostAsync(client, "original", null);
        var id = (await created.Content.ReadFromJsonAsync<Message>(Ct))!.Id;
        var etag = created.Headers.ETag!.ToString();

        async Task<HttpResponseMessage> PutAsync(string text)
        {
            using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/messages/{id}") { Content = JsonContent.Create(new { text }) };
            request.Headers.TryAddWithoutValidation("If-Match", etag);
            return await client.SendAsync(request, Ct);
        }
        var results = await Task.WhenAll(PutAsync("left"), PutAsync("right"));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.PreconditionFailed], results.Select(r => r.StatusCode).Order());
        var winner = await results.Single(r => r.StatusCode == HttpStatusCode.OK).Content.ReadFromJsonAsync<Message>(Ct);
        Assert.Equal(winner!.Text, (await client.GetFromJsonAsync<Message>($"/api/messages/{id}", Ct))!.Text);
    }
}

public sealed class ConcurrencyTestsOnSqlite(AppFixture app) : ConcurrencyTests(app, MessagesDatabase.Sqlite);

public sealed class ConcurrencyTestsOnPostgres(AppFixture app, PostgresServer server) : ConcurrencyTests(app, MessagesDatabase.Postgres(server));
