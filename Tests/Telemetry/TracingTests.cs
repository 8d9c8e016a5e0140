using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using MySecureApi.Infrastructure.Auth.Tokens;
using MySecureApi.Tests.Fixtures;
using OpenTelemetry.Logs;
using OpenTelemetry.Trace;

namespace MySecureApi.Tests.Telemetry;

/// <summary>
/// Traces through the real pipeline, switched on by the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (pointed at a closed
/// loopback port: export fails quietly) and read with OpenTelemetry's in-memory exporter.
/// </summary>
public sealed class TracingTests(AppFixture app, PostgresServer postgres)
{
    private const string TraceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    private const string ParentSpanId = "00f067aa0ba902b7";
    private const string TraceParent = $"00-{TraceId}-{ParentSpanId}-01";

    private readonly ConcurrentQueue<Activity> exported = new();

    /// <summary>The traces of the requests this test's host served.</summary>
    private readonly ConcurrentDictionary<ActivityTraceId, byte> served = new();

    /// <summary>
    /// The spans of this test's host only. ASP.NET Core's activities are process-wide: a tracer in one host also sees
    /// the requests of hosts that other tests run at the same time, so spans are told apart by the traces this host
    /// served, never by route or by timing.
    /// </summary>
    private IEnumerable<Activity> spans => exported.Where(s => served.ContainsKey(s.TraceId));

    private WebApplicationFactory<Program> Traced(TestIssuer? issuer = null, params (string Key, string? Value)[] settings)
    {
        var list = new InMemoryList<Activity>(exported);
        var factory = issuer is null ? app.With("Production", settings) : app.WithIssuer(issuer, null, settings);
        return factory.WithWebHostBuilder(b =>
        {
            b.UseSetting("OTEL_EXPORTER_OTLP_ENDPOINT", $"http://127.0.0.1:{AppProcess.FreeLoopbackPort()}");
            b.ConfigureTestServices(s =>
            {
                s.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(list));
                s.AddSingleton<IStartupFilter>(new RecordServedTraces(served));
            });
        });
    }

    /// <summary>First in the pipeline: notes the trace of every request the host serves (its server span's trace).</summary>
    private sealed class RecordServedTraces(ConcurrentDictionary<ActivityTraceId, byte> served) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => pipeline =>
        {
            pipeline.Use((context, nextMiddleware) =>
            {
                if (Activity.Current is { } current)
                    served.TryAdd(current.TraceId, 0);
                return nextMiddleware(context);
            });
            next(pipeline);
        };
    }

    /// <summary>The exporter's list, kept thread-safe (spans end on server threads).</summary>
    private sealed class InMemoryList<T>(ConcurrentQueue<T> queue) : ICollection<T>
    {
        public int Count => queue.Count;
        public bool IsReadOnly => false;
        public void Add(T item) => queue.Enqueue(item);
        public void Clear() => queue.Clear();
        public bool Contains(T item) => queue.Contains(item);
        public void CopyTo(T[] array, int arrayIndex) => queue.ToArray().CopyTo(array, arrayIndex);
        public bool Remove(T item) => throw new NotSupportedException();
        public IEnumerator<T> GetEnumerator() => queue.GetEnumerator();
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    private async Task<Activity> ServerSpanAsync(string route)
    {
        Activity? span = null;
        await Eventually.TrueAsync(() => (span = spans.FirstOrDefault(s => s.Kind == ActivityKind.Server && Equals(s.GetTagItem("http.route"), route))) is not null,
            $"a server span for {route}");
        return span!;
    }

    /// <summary>A tenant domain no other test uses: key-set fetch spans are root spans, told apart by the host they fetch from.</summary>
    private static string UniqueDomain() => $"t{Guid.NewGuid():N}.test.local";

    private async Task<Activity> FetchSpanAsync(string domain)
    {
        Activity? fetch = null;
        await Eventually.TrueAsync(() => (fetch = exported.FirstOrDefault(s => s.Source.Name == "MySecureApi.Auth" && Equals(s.GetTagItem("server.address"), domain))) is not null,
            "a key-set fetch span");
        return fetch!;
    }

    private static async Task<HttpResponseMessage> GetAsync(HttpClient client, string path, string? token, bool traceparent = true)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
            request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {token}");
        if (traceparent)
            request.Headers.TryAddWithoutValidation("traceparent", TraceParent);
        return await client.SendAsync(request, Ct);
    }

    [Fact]
    public async Task A_request_has_a_server_span_continuing_the_callers_trace()
    {
        await using var host = Traced();

        var response = await GetAsync(host.CreateClient(), "/api/private", app.Token().Build());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var span = await ServerSpanAsync("/api/private");
        Assert.Equal("GET /api/private", span.DisplayName);
        Assert.Equal(TraceId, span.TraceId.ToHexString());
        Assert.Equal(ParentSpanId, span.ParentSpanId.ToHexString());
        Assert.Equal(200, span.GetTagItem("http.response.status_code"));
        Assert.Equal("authenticated", span.GetTagItem("mysecureapi.auth.outcome"));
        Assert.Null(span.GetTagItem("mysecureapi.auth.error"));
    }

    [Fact]
    public async Task A_delegated_call_names_its_actor_on_the_span_and_an_own_call_none()
    {
        await using var host = Traced();
        var delegated = app.Token().Scope("read:messages").With("act", new System.Text.Json.Nodes.JsonObject { ["sub"] = "agent|traced" }).Build();

        // Validated (JwtBearer's path), then answered from the verified-token cache: both spans name the actor.
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(host.CreateClient(), "/api/private", delegated)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(host.CreateClient(), "/api/messages", delegated)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(host.CreateClient(), "/api/roles", app.Token().With("roles", "editor viewer").Build())).StatusCode);

        Assert.Equal("agent|traced", (await ServerSpanAsync("/api/private")).GetTagItem("mysecureapi.auth.actor"));
        Assert.Equal("agent|traced", (await ServerSpanAsync("/api/messages")).GetTagItem("mysecureapi.auth.actor"));
        Assert.Null((await ServerSpanAsync("/api/roles")).GetTagItem("mysecureapi.auth.actor"));
    }

    [Fact]
    public async Task A_refused_token_puts_the_fixed_reason_on_the_span_and_its_trace_id_in_the_body()
    {
        await using var host = Traced();
        var token = app.Token().ExpiresIn(TimeSpan.FromMinutes(-5)).Build();

        var response = await GetAsync(host.CreateClient(), "/api/private", token);

        var body = await Problem.AssertAsync(response, HttpStatusCode.Unauthorized, "invalid_token", "Authentication required");
        var span = await ServerSpanAsync("/api/private");
        Assert.Equal(401, span.GetTagItem("http.response.status_code"));
        Assert.Equal("refused", span.GetTagItem("mysecureapi.auth.outcome"));
        Assert.Equal("invalid_token", span.GetTagItem("mysecureapi.auth.error"));
        Assert.Equal(TokenFailure.Expired, span.GetTagItem("mysecureapi.auth.reason"));
        Assert.Equal($"00-{TraceId}-{span.SpanId.ToHexString()}-01", body.GetProperty("traceId").GetString());
    }

    [Fact]
    public async Task Without_a_traceparent_the_body_names_the_spans_own_trace()
    {
        await using var host = Traced();

        var response = await GetAsync(host.CreateClient(), "/api/private", null, traceparent: false);

        var body = await Problem.AssertAsync(response, HttpStatusCode.Unauthorized, "unauthorized", "Authentication required");
        var span = await ServerSpanAsync("/api/private");
        Assert.Equal(default, span.ParentSpanId);
        Assert.Equal(span.TraceId.ToHexString(), body.GetProperty("traceId").GetString()!.Split('-')[1]);
    }

    [Fact]
    public async Task The_key_set_fetch_has_a_client_span_of_its_own()
    {
        var domain = UniqueDomain();
        using var issuer = new TestIssuer(domain);
        await using var host = Traced(issuer, ("AUTH0_DOMAIN", domain));
        host.CreateClient();

        var fetch = await FetchSpanAsync(domain);

        Assert.Equal("signing-keys fetch", fetch.DisplayName);
        Assert.Equal(ActivityKind.Client, fetch.Kind);
        Assert.Equal(domain, fetch.GetTagItem("server.address"));
        Assert.Equal("success", fetch.GetTagItem("mysecureapi.keyset.outcome"));
        Assert.Equal(default, fetch.ParentSpanId);
    }

    [Fact]
    public async Task A_failing_fetch_is_an_error_span_with_the_cause()
    {
        var domain = UniqueDomain();
        using var issuer = new TestIssuer(domain) { Fault = IssuerFault.Http500 };
        await using var host = Traced(issuer, ("AUTH0_DOMAIN", domain));
        host.CreateClient();

        var fetch = await FetchSpanAsync(domain);

        Assert.Equal(ActivityStatusCode.Error, fetch.Status);
        Assert.Equal("HTTP 500 for /.well-known/openid-configuration", fetch.StatusDescription);
        Assert.Equal("failure", fetch.GetTagItem("mysecureapi.keyset.outcome"));
    }

    /// <summary>No tag of any span holds token or proof content: not the header, not a query-string token, not a claim.</summary>
    [Fact]
    public async Task No_span_carries_token_content()
    {
        await using var host = Traced(null, ("Auth0:AllowQueryStringToken", "true"));
        var client = host.CreateClient();
        var valid = app.Token().With("sub", "auth0|secret-subject-value").Build();
        var forged = app.Token().With("iss", "https://evil.example/").Build();

        await GetAsync(client, "/api/private", valid);
        await GetAsync(client, "/api/private", forged);
        await GetAsync(client, $"/api/private?access_token={valid}", null);
        await Eventually.TrueAsync(() => spans.Count(s => s.Kind == ActivityKind.Server) >= 3, "three server spans");

        var fragments = new[] { valid, forged }.SelectMany(t => t.Split('.')).Append("secret-subject-value").Append("evil.example").ToList();
        var values = spans.SelectMany(s => s.TagObjects.Select(t => $"{t.Key}={t.Value}").Append(s.DisplayName).Append(s.StatusDescription ?? "")).ToList();
        Assert.All(fragments, fragment => Assert.DoesNotContain(values, v => v.Contains(fragment, StringComparison.Ordinal)));
        Assert.DoesNotContain(values, v => v.StartsWith("http.request.header.", StringComparison.Ordinal));
        Assert.Contains(values, v => v.StartsWith("url.query=", StringComparison.Ordinal) && v.Contains("access_token=Redacted", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_telemetry_unset_no_tracer_is_registered()
    {
        await using var host = app.With("Production");
        host.CreateClient();

        Assert.Null(host.Services.GetService<TracerProvider>());
        Assert.Null(host.Services.GetService<OpenTelemetry.Metrics.MeterProvider>());
    }

    [Fact]
    public async Task The_sdk_reads_the_standard_sampler_variable()
    {
        await using var host = Traced(null, ("OTEL_TRACES_SAMPLER", "always_off"));

        var response = await GetAsync(host.CreateClient(), "/api/private", null, traceparent: false);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
        var traceParent = body.GetProperty("traceId").GetString()!;
        Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$", traceParent);
        // The request's own trace: a span exported under it (it would be, within the wait, if it were sampled) is a failure.
        await Task.Delay(200, Ct);
        Assert.DoesNotContain(exported, s => s.Kind == ActivityKind.Server && s.TraceId.ToHexString() == traceParent.Split('-')[1]);
    }

    /// <summary>Redis (the DPoP replay cache, the shared rate limits) and PostgreSQL (the messages) calls are client spans under the request.</summary>
    [Fact]
    public async Task Redis_and_database_calls_are_client_spans_of_the_request()
    {
        using var redis = new RedisServer();
        await using var host = Traced(null, [("REDIS_URL", redis.Url), .. MessagesDatabase.Postgres(postgres).NewDatabase()]);
        var client = host.CreateClient();
        using var key = DPoPKey.Es256();
        var token = app.Token().Scope("read:messages").With("cnf", new System.Text.Json.Nodes.JsonObject { ["jkt"] = key.Thumbprint }).Build();

        HttpStatusCode status = default;
        await Eventually.TrueAsync(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/messages");
            request.Headers.TryAddWithoutValidation("Authorization", $"DPoP {token}");
            request.Headers.TryAddWithoutValidation("DPoP", new DPoPProofBuilder(key, "GET", "http://localhost/api/messages", token).Build());
            status = (await client.SendAsync(request, Ct)).StatusCode;
            return status == HttpStatusCode.OK;
        }, "Redis connected and the messages read");

        Activity? redisSpan = null, databaseSpan = null;
        await Eventually.TrueAsync(() =>
        {
            var server = spans.LastOrDefault(s => s.Kind == ActivityKind.Server && Equals(s.GetTagItem("http.route"), "/api/messages")
                                                  && Equals(s.GetTagItem("http.response.status_code"), 200));
            redisSpan = spans.FirstOrDefault(s => s.Source.Name.Contains("Redis", StringComparison.Ordinal) && s.TraceId == server?.TraceId);
            databaseSpan = spans.FirstOrDefault(s => s.Source.Name == "Npgsql" && s.TraceId == server?.TraceId);
            return redisSpan is not null && databaseSpan is not null;
        }, "a Redis span and a PostgreSQL span in the trace of the request that succeeded");
        Assert.Equal(ActivityKind.Client, redisSpan!.Kind);
        Assert.Equal(ActivityKind.Client, databaseSpan!.Kind);
    }

    /// <summary>With OTLP on, logs go out through OpenTelemetry too, each with the trace and span of its request.</summary>
    [Fact]
    public async Task Logs_are_exported_with_the_requests_trace()
    {
        var records = new ConcurrentQueue<LogRecord>();
        await using var host = Traced().WithWebHostBuilder(b => b.ConfigureTestServices(s =>
            s.ConfigureOpenTelemetryLoggerProvider(l => l.AddInMemoryExporter(new InMemoryList<LogRecord>(records)))));
        var idToken = app.Token().With("aud", TokenBuilder.ClientId).With("nonce", "n-0S6_WzA2Mj").Build();

        var response = await GetAsync(host.CreateClient(), "/api/private", idToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        LogRecord? refused = null;
        await Eventually.TrueAsync(() => (refused = records.FirstOrDefault(r => r.CategoryName == typeof(Auth0TokenHandler).FullName)) is not null,
            "the refusal exported as a log record");
        Assert.Equal(TraceId, refused!.TraceId.ToHexString());
        Assert.NotEqual(default, refused.SpanId);
        Assert.DoesNotContain(idToken.Split('.')[1], refused.FormattedMessage ?? refused.Body ?? "", StringComparison.Ordinal);
    }
}
