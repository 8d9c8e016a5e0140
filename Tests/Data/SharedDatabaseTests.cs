using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MySecureApi.Tests.Fixtures;

namespace MySecureApi.Tests.Data;

/// <summary>Two app instances on one PostgreSQL: migrations started together, an idempotent retry reaching the other one.</summary>
public sealed class SharedDatabaseTests(AppFixture app, PostgresServer postgres)
{
    [Fact]
    public async Task Two_instances_starting_at_once_on_a_new_database_both_migrate_it()
    {
        var url = postgres.Url($"together_{Guid.NewGuid():N}");
        await using var a = app.With("Production", ("DATABASE_URL", url));
        await using var b = app.With("Production", ("DATABASE_URL", url));

        await Task.WhenAll(Task.Run(() => a.CreateClient()), Task.Run(() => b.CreateClient()));

        foreach (var host in new[] { a, b })
        {
            var page = await host.ClientFor(app, "auth0|reader", "read:messages").GetFromJsonAsync<JsonElement>("/api/messages", Ct);
            Assert.Single(page.GetProperty("messages").EnumerateArray());
        }
    }

    [Fact]
    public async Task A_retry_sent_to_the_other_instance_is_replayed_not_duplicated()
    {
        var url = postgres.Url($"retry_{Guid.NewGuid():N}");
        await using var a = app.With("Production", ("DATABASE_URL", url));
        await using var b = app.With("Production", ("DATABASE_URL", url));

        async Task<HttpResponseMessage> PostAsync(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> host)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages") { Content = JsonContent.Create(new { text = "once across the fleet" }) };
            request.Headers.Add("Idempotency-Key", "fleet-key");
            return await host.ClientFor(app, "auth0|fleet").SendAsync(request, Ct);
        }
        var first = await PostAsync(a);
        var retry = await PostAsync(b);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        var page = await a.ClientFor(app, "auth0|fleet").GetFromJsonAsync<JsonElement>("/api/messages", Ct);
        Assert.Single(page.GetProperty("messages").EnumerateArray(), m => m.GetProperty("text").GetString() == "once across the fleet");
    }
}
