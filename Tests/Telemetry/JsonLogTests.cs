using System.Net;
using System.Text.Json;
using MySecureApi.Infrastructure.Auth.Tokens;
using MySecureApi.Tests.Fixtures;

namespace MySecureApi.Tests.Telemetry;

/// <summary>
/// <c>Logging:Console:FormatterName=json</c> on the app as its own process: every line of its output is one JSON object,
/// request lines carry the caller's trace id and a span id (with tracing off), and no line holds token content.
/// </summary>
public sealed class JsonLogTests
{
    private const string TraceId = "0af7651916cd43dd8448eb211c80319c";

    [Fact]
    public async Task Each_line_is_a_json_object_with_trace_and_span_ids_and_no_token()
    {
        await using var issuer = await LoopbackIssuer.StartAsync();
        var work = Directory.CreateTempSubdirectory("mysecureapi-logs-");
        var port = AppProcess.FreeLoopbackPort();
        await using var app = AppProcess.Start(work.FullName, issuer.ProductionApp(port, work.FullName,
            ("Logging__Console__FormatterName", "json")));
        var api = $"http://127.0.0.1:{port}";
        Assert.Equal(HttpStatusCode.OK, (await app.WaitForAsync($"{api}/health/ready", TimeSpan.FromSeconds(60))).StatusCode);
        var idToken = issuer.Token().With("aud", TokenBuilder.ClientId).With("nonce", "n-0S6_WzA2Mj").Build();
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{api}/api/private");
        request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {idToken}");
        request.Headers.TryAddWithoutValidation("traceparent", $"00-{TraceId}-b7ad6b7169203331-01");

        var response = await client.SendAsync(request, Ct);
        var (exitCode, output, _) = await app.StopAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, exitCode);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        var entries = lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.All(entries, e => Assert.True(e.TryGetProperty("Category", out _) && e.TryGetProperty("LogLevel", out _), e.ToString()));
        Assert.Contains(entries, e => e.GetProperty("Message").GetString() == $"Server running on http://localhost:{port}");
        var refused = Assert.Single(entries, e => e.GetProperty("Category").GetString() == "MySecureApi.Infrastructure.Auth.Tokens.Auth0TokenHandler"
                                                  && e.GetProperty("Message").GetString()!.Contains(TokenFailure.IdToken, StringComparison.Ordinal));
        var scope = refused.GetProperty("Scopes").EnumerateArray().Single(s => s.ValueKind == JsonValueKind.Object && s.TryGetProperty("TraceId", out _));
        Assert.Equal(TraceId, scope.GetProperty("TraceId").GetString());
        Assert.Matches("^[0-9a-f]{16}$", scope.GetProperty("SpanId").GetString()!);
        Assert.All(idToken.Split('.'), part => Assert.DoesNotContain(part, output, StringComparison.Ordinal));
        work.Delete(recursive: true);
    }
}
