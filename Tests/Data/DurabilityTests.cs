using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MySecureApi.Tests.Fixtures;

namespace MySecureApi.Tests.Data;

/// <summary>
/// A 201 means committed: the app runs as its own process under write load and is killed with SIGKILL mid-stream; after
/// a restart every message whose 201 the clients received is there (SQLite in WAL mode with synchronous=FULL, and PostgreSQL).
/// </summary>
public sealed class DurabilityTests(PostgresServer postgres) : IDisposable
{
    private readonly DirectoryInfo workDir = Directory.CreateTempSubdirectory("mysecureapi-durability-");

    public void Dispose() => workDir.Delete(recursive: true);

    public static TheoryData<string> Databases => new() { "SQLite", "PostgreSQL" };

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Every_acknowledged_write_survives_a_kill(string database)
    {
        var port = AppProcess.FreeLoopbackPort();
        var environment = new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["DevIssuer__KeyPath"] = Path.Combine(workDir.FullName, "key.pem"),
            ["RateLimiting__Enabled"] = "false",
            ["Logging__LogLevel__Default"] = "Warning",
            [database == "SQLite" ? "Database__SqlitePath" : "DATABASE_URL"] =
                database == "SQLite" ? Path.Combine(workDir.FullName, "messages.db") : postgres.Url($"durability_{Guid.NewGuid():N}"),
        };
        var baseUrl = $"http://localhost:{port}";
        var acknowledged = new ConcurrentBag<long>();
        string token;

        await using (var app = AppProcess.Start(workDir.FullName, environment))
        {
            Assert.Equal(HttpStatusCode.OK, (await app.WaitForAsync($"{baseUrl}/health", TimeSpan.FromSeconds(30))).StatusCode);
            using var client = new HttpClient { BaseAddress = new Uri(baseUrl) };
            var minted = await client.PostAsJsonAsync("/dev/token", new { scope = "read:messages write:messages" }, Ct);
            token = JsonDocument.Parse(await minted.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("accessToken").GetString()!;
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, 8).Select(writer => Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    try
                    {
                        var response = await client.PostAsJsonAsync("/api/messages", new { text = $"w{writer}-{i}" }, stop.Token);
                        if (response.StatusCode == HttpStatusCode.Created)
                            acknowledged.Add(JsonDocument.Parse(await response.Content.ReadAsStringAsync(stop.Token)).RootElement.GetProperty("id").GetInt64());
                    }
                    catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
                    {
                        // the server died mid-request: that write was never acknowledged
                    }
                }
            })).ToArray();
            await Eventually.TrueAsync(() => acknowledged.Count >= 200, "200 writes acknowledged", 60);
            await app.KillAsync();
            await stop.CancelAsync();
            await Task.WhenAll(writers);
        }

        await using var restarted = AppProcess.Start(workDir.FullName, environment);
        Assert.Equal(HttpStatusCode.OK, (await restarted.WaitForAsync($"{baseUrl}/health", TimeSpan.FromSeconds(30))).StatusCode);
        using var reader = new HttpClient { BaseAddress = new Uri(baseUrl) };
        reader.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var stored = new HashSet<long>();
        string? cursor = null;
        do
        {
            var page = await reader.GetFromJsonAsync<JsonElement>($"/api/messages?limit=100{(cursor is null ? "" : $"&cursor={cursor}")}", Ct);
            foreach (var message in page.GetProperty("messages").EnumerateArray())
                stored.Add(message.GetProperty("id").GetInt64());
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        var lost = acknowledged.Where(id => !stored.Contains(id)).ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} of {acknowledged.Count} acknowledged writes lost: {string.Join(", ", lost.Take(10))}");
        Assert.True(acknowledged.Count >= 200);
    }
}
