using System.Net;
using System.Net.Http.Json;
using MySecureApi.Tests.Fixtures;

namespace MySecureApi.Tests.Data;

/// <summary>PostgreSQL stopped under a running app: 503 with Retry-After (never 500), readiness degraded, recovery by itself.</summary>
public sealed class DatabaseOutageTests(AppFixture app) : IDisposable
{
    private readonly PostgresServer postgres = new();

    public void Dispose() => postgres.Dispose();

    [Fact]
    public async Task Writes_and_reads_get_503_while_postgres_is_down_and_work_again_when_it_returns()
    {
        await using var host = app.With("Production", ("DATABASE_URL", postgres.Url("outage")), ("Database:ConnectTimeoutSeconds", "2"));
        var client = host.ClientFor(app, "auth0|outage");
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/messages", new { text = "before" }, Ct)).StatusCode);

        postgres.Stop(immediate: true);
        var write = await client.PostAsJsonAsync("/api/messages", new { text = "during" }, Ct);
        var read = await client.GetAsync("/api/messages", Ct);
        var ready = await client.GetAsync("/health/ready", Ct);

        foreach (var response in new[] { write, read })
        {
            var body = await Problem.AssertAsync(response, HttpStatusCode.ServiceUnavailable, "temporarily_unavailable", "The database is unavailable right now");
            Assert.Equal("The request could not be completed; nothing was changed", body.GetProperty("detail").GetString());
            Assert.Equal("5", response.Headers.GetValues("Retry-After").Single());
        }
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("\"database\":\"unavailable\"", await ready.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/private", Ct)).StatusCode);

        postgres.Start();
        await Eventually.TrueAsync(async () => (await client.PostAsJsonAsync("/api/messages", new { text = "after" }, Ct)).StatusCode == HttpStatusCode.Created,
            "writes work again", 30);
        Assert.Contains("\"database\":\"connected\"", await client.GetStringAsync("/health/ready", Ct));
    }
}
