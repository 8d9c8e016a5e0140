using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FastEndpoints;
using Microsoft.AspNetCore.TestHost;
using MySecureApi.Features.Messages;
using MySecureApi.Features.Messages.PostMessage;
using MySecureApi.Tests.Fixtures;

namespace MySecureApi.Tests.Features.Messages;

/// <summary><c>POST /api/messages</c> on each database: creation, every validation rule, limits, idempotent retries.</summary>
public abstract class PostMessageTests(AppFixture app, MessagesDatabase database)
{
    private const string Alice = "auth0|alice";

    private static StringContent Json(string json, string contentType = "application/json") => new(json, Encoding.UTF8, contentType);

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, HttpContent content, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages") { Content = content };
        if (key is not null)
            request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        return await client.SendAsync(request, Ct);
    }

    private static async Task AssertFieldErrorAsync(HttpResponseMessage response, string field)
    {
        var body = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "invalid_request", "The request is invalid");
        Assert.True(body.GetProperty("errors").TryGetProperty(field, out var messages), body.GetRawText());
        Assert.NotEmpty(messages.EnumerateArray());
    }

    [Fact]
    public async Task Creates_a_message_authored_by_the_caller_with_location_and_etag()
    {
        await using var host = database.Host(app);
        var client = host.ClientFor(app, Alice);

        var (response, message) = await client.POSTAsync<Endpoint, Request, Message>(new Request { Text = "  Hi there\n  " });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/api/messages/{message.Id}", response.Headers.Location?.ToString());
        Assert.Equal($"\"{message.Id}-1\"", response.Headers.ETag?.ToString());
        Assert.Equal(("Hi there", Alice), (message.Text, message.Author));
        Assert.Equal(message.CreatedAt, message.UpdatedAt);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", message.CreatedAt);
        Assert.True(message.Id > 1);
        var read = await client.GetAsync($"/api/messages/{message.Id}", Ct);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
    }

    [Fact]
    public async Task A_machine_to_machine_token_writes_and_its_client_is_the_author()
    {
        await using var host = database.Host(app);
        var client = host.ClientFor(app, "kbyuFDidLLm280LIwVFiazOqjO3ty8KH@clients", "write:messages",
            t => t.With("gty", "client-credentials").Without("azp"));

        var (response, message) = await client.POSTAsync<Endpoint, Request, Message>(new Request { Text = "from a service" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("kbyuFDidLLm280LIwVFiazOqjO3ty8KH@clients", message.Author);
    }

    [Fact]
    public async Task Read_scope_alone_gets_403_insufficient_scope_naming_write_messages()
    {
        await using var host = database.Host(app);

        var response = await PostAsync(host.ClientFor(app, Alice, "read:messages"), Json("""{"text":"hi"}"""));

        await Problem.AssertInsufficientScopeAsync(response, "write:messages");
    }

    [Fact]
    public async Task No_token_gets_401()
    {
        await using var host = database.Host(app);

        await Problem.AssertUnauthorizedAsync(await PostAsync(host.CreateClient(), Json("""{"text":"hi"}""")));
    }

    public static TheoryData<string, string> InvalidBodies => new()
    {
        { "{}", "text" },
        { """{"text":null}""", "text" },
        { """{"text":""}""", "text" },
        { """{"text":"   \n\t "}""", "text" },
        { $$"""{"text":"{{new string('x', 501)}}"}""", "text" },
        { """{"text":42}""", "text" },
        { """{"text":["a"]}""", "text" },
        { """{"text":"bell \u0007"}""", "text" },
        { """{"text":"nul \u0000"}""", "text" },
        { """{"text":"lone \ud800 surrogate"}""", "text" },
        { """{"text":"hi","author":"auth0|mallory"}""", "author" },
        { "not json", "body" },
        { """{"text":"unterminated""", "text" },
        { """{"text":"a"} trailing""", "body" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Each_validation_rule_gets_400_naming_the_field(string json, string field)
    {
        await using var host = database.Host(app);

        await AssertFieldErrorAsync(await PostAsync(host.ClientFor(app, Alice), Json(json)), field);
    }

    [Fact]
    public async Task Five_hundred_characters_beyond_the_basic_plane_are_accepted()
    {
        await using var host = database.Host(app);
        var text = string.Concat(Enumerable.Repeat("😀", 500));

        var (response, message) = await host.ClientFor(app, Alice).POSTAsync<Endpoint, Request, Message>(new Request { Text = text });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(text, message.Text);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/xml")]
    public async Task Another_content_type_gets_415(string contentType)
    {
        await using var host = database.Host(app);

        var response = await PostAsync(host.ClientFor(app, Alice), Json("""{"text":"hi"}""", contentType));

        await Problem.AssertAsync(response, HttpStatusCode.UnsupportedMediaType, "unsupported_media_type", "The content type is not supported: send application/json");
    }

    [Fact]
    public async Task A_body_over_16_KiB_gets_413_declared_or_streamed()
    {
        await using var host = database.Host(app);
        var client = host.ClientFor(app, Alice);
        var big = $$"""{"text":"x","pad":"{{new string(' ', 17 * 1024)}}"}""";

        var declared = await PostAsync(client, Json(big));
        var streamed = await PostAsync(client, new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(big))) { Headers = { ContentType = new("application/json") } });

        await Problem.AssertAsync(declared, HttpStatusCode.RequestEntityTooLarge, "payload_too_large", "The request body is too large");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, streamed.StatusCode);
    }

    [Fact]
    public async Task A_retry_with_the_same_key_and_body_replays_the_original_response()
    {
        await using var host = database.Host(app);
        var client = host.ClientFor(app, Alice);

        var first = await PostAsync(client, Json("""{"text":"once"}"""), "key-1");
        var retry = await PostAsync(client, Json("""{ "text" : "once  " }"""), "key-1");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(await first.Content.ReadAsStringAsync(Ct), await retry.Content.ReadAsStringAsync(Ct));
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.Equal(first.Headers.ETag, retry.Headers.ETag);
        var list = await client.GetFromJsonAsync<JsonElement>("/api/messages", Ct);
        Assert.Single(list.GetProperty("messages").EnumerateArray(), m => m.GetProperty("text").GetString() == "once");
    }

    [Fact]
    public async Task The_same_key_with_another_body_gets_422()
    {
        await using var host = database.Host(app);
        var client = host.ClientFor(app, Alice);
        await PostAsync(client, Json("""{"text":"first"}"""), "key-2");

        var response = await PostAsync(client, Json("""{"text":"second"}"""), "key-2");

        await Problem.AssertAsync(response, HttpStatusCode.UnprocessableEntity, "idempotency_key_reused", "The Idempotency-Key was used for another request");
    }

    [Fact]
    public async Task A_key_is_kept_24_hours_then_may_be_used_again()
    {
        using var issuer = new TestIssuer();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        // Without the janitor (its own test is IdempotencyKeyJanitorTests): the rule under test is that a stored key
        // older than 24 h no longer counts, as it must between two of the janitor's hourly runs.
        await using var host = app.WithIssuer(issuer, time, database.NewDatabase()).WithWebHostBuilder(b => b.ConfigureTestServices(services =>
        {
            foreach (var janitor in services.Where(d => d.ImplementationType == typeof(MySecureApi.Features.Messages.Data.IdempotencyKeyJanitor)).ToList())
                services.Remove(janitor);
        }));
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", new TokenBuilder(issuer.Key).With("sub", Alice).Scope(MessagesClients.ReadWrite).Build());
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(client, Json("""{"text":"day one"}"""), "daily-key")).StatusCode);

        time.Advance(TimeSpan.FromHours(23));
        var sameDay = await PostAsync(client, Json("""{"text":"day two"}"""), "daily-key");
        time.Advance(TimeSpan.FromHours(2));
        var nextDay = await PostAsync(client, Json("""{"text":"day two"}"""), "daily-key");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, sameDay.StatusCode);
        Assert.Equal(HttpStatusCode.Created, nextDay.StatusCode);
        Assert.False(nextDay.Headers.Contains("Idempotent-Replayed"));
    }

    [Fact]
    public async Task Keys_are_per_caller()
    {
        await using var host = database.Host(app);

        var alice = await PostAsync(host.ClientFor(app, Alice), Json("""{"text":"same"}"""), "shared-key");
        var bob = await PostAsync(host.ClientFor(app, "auth0|bob"), Json("""{"text":"same"}"""), "shared-key");

        Assert.Equal(HttpStatusCode.Created, bob.StatusCode);
        Assert.False(bob.Headers.Contains("Idempotent-Replayed"));
        Assert.NotEqual(alice.Headers.Location, bob.Headers.Location);
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("é-not-ascii")]
    public async Task A_malformed_idempotency_key_gets_400(string key)
    {
        await using var host = database.Host(app);

        await AssertFieldErrorAsync(await PostAsync(host.ClientFor(app, Alice), Json("""{"text":"hi"}"""), key), "idempotencyKey");
    }

    /// <summary>Sent byte for byte (the in-memory client drops a header without a value).</summary>
    [Fact]
    public async Task An_empty_idempotency_key_header_gets_400()
    {
        await using var host = database.Host(app);
        var server = RawHttp.StartOnLoopback(host);
        var token = app.Token().With("sub", Alice).Scope(MessagesClients.ReadWrite).Build();
        const string body = """{"text":"hi"}""";

        var answer = await RawHttp.SendRawAsync(server,
            $"POST /api/messages HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nAuthorization: Bearer {token}\r\n"
            + $"Content-Type: application/json\r\nIdempotency-Key:\r\nContent-Length: {body.Length}\r\n\r\n{body}");

        Assert.Equal(400, answer.Status);
        using var problem = JsonDocument.Parse(answer.Body);
        Assert.Equal("invalid_request", problem.RootElement.GetProperty("error").GetString());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("idempotencyKey", out _));
    }

    [Fact]
    public async Task A_key_of_256_characters_gets_400_and_255_is_accepted()
    {
        await using var host = database.Host(app);
        var client = host.ClientFor(app, Alice);

        Assert.Equal(HttpStatusCode.Created, (await PostAsync(client, Json("""{"text":"hi"}"""), new string('k', 255))).StatusCode);
        await AssertFieldErrorAsync(await PostAsync(client, Json("""{"text":"hi"}"""), new string('k', 256)), "idempotencyKey");
    }

    [Fact]
    public async Task Writes_have_their_own_per_caller_limit()
    {
        await using var host = database.Host(app, ("RateLimiting:Write:PermitLimit", "2"), ("RateLimiting:Write:Algorithm", "FixedWindow"));
        var client = host.ClientFor(app, Alice);

        Assert.Equal(HttpStatusCode.Created, (await PostAsync(client, Json("""{"text":"1"}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(client, Json("""{"text":"2"}"""))).StatusCode);
        var limited = await PostAsync(client, Json("""{"text":"3"}"""));

        await Problem.AssertAsync(limited, HttpStatusCode.TooManyRequests, "rate_limited", "Too many requests");
        Assert.True(limited.Headers.Contains("Retry-After"));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/messages", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(host.ClientFor(app, "auth0|bob"), Json("""{"text":"b"}"""))).StatusCode);
    }
}

public sealed class PostMessageTestsOnSqlite(AppFixture app) : PostMessageTests(app, MessagesDatabase.Sqlite);

public sealed class PostMessageTestsOnPostgres(AppFixture app, PostgresServer server) : PostMessageTests(app, MessagesDatabase.Postgres(server));
