using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MySecureApi.Features.Messages.Data;
using MySecureApi.Tests.Fixtures;

namespace MySecureApi.Tests.Features.Messages;

/// <summary>
/// The idempotency-key table holds at most a day of keys: the janitor deletes keys older than 24 h (hourly, on the app's
/// clock), and only those. Driven by a fake clock, read straight from the database.
/// </summary>
public abstract class IdempotencyKeyJanitorTests(AppFixture app, MessagesDatabase database)
{
    private const string Alice = "auth0|alice";

    private static async Task PostAsync(HttpClient client, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages") { Content = JsonContent.Create(new { text = key }) };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(request, Ct)).StatusCode);
    }

    private static async Task<List<string>> StoredKeysAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<MessagesDbContext>().IdempotencyKeys.Select(k => k.Key).OrderBy(k => k).ToListAsync(Ct);
    }

    [Fact]
    public async Task Keys_older_than_a_day_are_deleted_and_younger_ones_kept()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = database.Host(app).WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(time)));
        var alice = host.ClientFor(app, Alice);

        await PostAsync(alice, "first");
        time.Advance(TimeSpan.FromHours(23));
        await PostAsync(alice, "second");
        // A tick at 23 h: nothing is a day old yet.
        Assert.Equal(["first", "second"], await StoredKeysAsync(host.Services));

        time.Advance(TimeSpan.FromHours(2));

        // The tick at 25 h removes the key made at 0 h and keeps the one made at 23 h.
        List<string> stored = [];
        await Eventually.TrueAsync(async () => (stored = await StoredKeysAsync(host.Services)).Count == 1, "the janitor's next run");
        Assert.Equal(["second"], stored);
    }
}

public sealed class IdempotencyKeyJanitorTestsOnSqlite(AppFixture app) : IdempotencyKeyJanitorTests(app, MessagesDatabase.Sqlite);

public sealed class IdempotencyKeyJanitorTestsOnPostgres(AppFixture app, PostgresServer server) : IdempotencyKeyJanitorTests(app, MessagesDatabase.Postgres(server));
