using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MySecureApi.Tests.Fixtures;

namespace MySecureApi.Tests.Errors;

/// <summary>The error table's non-auth rows: routing, validation and unhandled exceptions, all in one shape.</summary>
public sealed class ErrorResponseTests(AppFixture app)
{

    [Theory]
    [InlineData("/nope")]
    [InlineData("/api/private/extra")]
    [InlineData("/api/org")]
    public async Task Unknown_route_gets_404_not_found(string path)
    {
        var response = await app.Client().GetAsync(path, Ct);

        await Problem.AssertAsync(response, HttpStatusCode.NotFound, "not_found", "The requested resource was not found");
        Assert.Null(Problem.Challenge(response));
    }

    [Theory]
    [InlineData("POST", "/api/public")]
    [InlineData("DELETE", "/api/private")]
    [InlineData("PUT", "/health")]
    public async Task Wrong_method_gets_405_with_allow(string method, string path)
    {
        var response = await app.Client().SendAsync(new HttpRequestMessage(new HttpMethod(method), path), Ct);

        await Problem.AssertAsync(response, HttpStatusCode.MethodNotAllowed, "method_not_allowed", "The method is not allowed for this resource");
        Assert.Equal(["GET"], response.Content.Headers.Allow);
    }

    [Fact]
    public async Task Unhandled_exception_gets_500_without_internals()
    {
        var response = await app.Client().GetAsync(ThrowingEndpoint.Route, Ct);

        await Problem.AssertAsync(response, HttpStatusCode.InternalServerError, "server_error", "An unexpected error occurred");
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain("hunter2", body);
        Assert.DoesNotContain("InvalidOperationException", body);
        Assert.DoesNotContain(" at ", body);
        Assert.DoesNotContain(".cs", body);
    }

    [Fact]
    public async Task Trace_id_is_w3c_and_is_the_one_in_the_error_log()
    {
        var logs = new LogCollector();
        await using var host = app.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddLogging(l => l.AddProvider(logs))));

        var response = await host.CreateClient().GetAsync(ThrowingEndpoint.Route, Ct);

        var traceId = (await Problem.AssertAsync(response, HttpStatusCode.InternalServerError, "server_error", "An unexpected error occurred"))
            .GetProperty("traceId").GetString()!;
        Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$", traceId);
        Assert.Contains(logs.Entries, e => e.Category == "MySecureApi.Errors" && e.Message.EndsWith($"traceId {traceId}"));
    }

    [Fact]
    public async Task Trace_id_continues_the_callers_traceparent_and_ignores_a_malformed_one()
    {
        const string caller = "4bf92f3577b34da6a3ce929d0e0e4736";
        using var traced = new HttpRequestMessage(HttpMethod.Get, "/api/private");
        traced.Headers.Add("traceparent", $"00-{caller}-00f067aa0ba902b7-01");
        using var malformed = new HttpRequestMessage(HttpMethod.Get, "/api/private");
        malformed.Headers.Add("traceparent", "00-not-a-trace-id-01");

        var continued = await TraceIdAsync(await app.Client().SendAsync(traced, Ct));
        var fresh = await TraceIdAsync(await app.Client().SendAsync(malformed, Ct));

        Assert.StartsWith($"00-{caller}-", continued);
        Assert.DoesNotContain("00f067aa0ba902b7", continued);
        Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-00$", fresh);
        Assert.DoesNotContain("not-a-trace", fresh);
    }

    private static async Task<string> TraceIdAsync(HttpResponseMessage response) =>
        (await Problem.AssertAsync(response, HttpStatusCode.Unauthorized, "unauthorized", "Authentication required")).GetProperty("traceId").GetString()!;

    [Fact]
    public async Task Invalid_body_gets_400_invalid_request_listing_the_fields()
    {
        var response = await app.Client(app.Token().Build()).PostAsJsonAsync(EchoEndpoint.Route, new { name = "" }, Ct);

        var body = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "invalid_request", "The request is invalid");
        Assert.True(body.GetProperty("errors").TryGetProperty("name", out var field), body.ToString());
        Assert.NotEmpty(field.EnumerateArray());
        Assert.Null(Problem.Challenge(response));
    }

    [Fact]
    public async Task Malformed_json_body_gets_400_invalid_request()
    {
        var content = new StringContent("{\"name\":", System.Text.Encoding.UTF8, "application/json");

        var response = await app.Client(app.Token().Build()).PostAsync(EchoEndpoint.Route, content, Ct);

        var body = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "invalid_request", "The request is invalid");
        Assert.DoesNotContain("Exception", body.ToString());
    }

    [Fact]
    public async Task Valid_body_passes_validation()
    {
        var response = await app.Client(app.Token().Build()).PostAsJsonAsync(EchoEndpoint.Route, new { name = "alice" }, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("text/html")]
    [InlineData("application/xml")]
    [InlineData("*/*")]
    public async Task Errors_are_problem_json_whatever_the_accept_header(string accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/private");
        request.Headers.TryAddWithoutValidation("Accept", accept);

        await Problem.AssertUnauthorizedAsync(await app.Client().SendAsync(request, Ct));
    }
}
