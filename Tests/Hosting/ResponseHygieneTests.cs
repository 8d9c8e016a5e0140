using System.Net;
using System.Net.Http.Json;
using MySecureApi.Tests.Fixtures;

namespace MySecureApi.Tests.Hosting;

/// <summary><c>nosniff</c> everywhere; <c>no-store</c> on errors and on answers to requests with credentials.</summary>
public sealed class ResponseHygieneTests(AppFixture app)
{

    private static bool NoStore(HttpResponseMessage response) => response.Headers.CacheControl?.NoStore == true;

    private static string? NoSniff(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-Content-Type-Options", out var values) ? values.Single() : null;

    [Fact]
    public async Task Public_answer_is_nosniff_and_cacheable()
    {
        var response = await app.Client().GetAsync("/api/public", Ct);

        Assert.Equal("nosniff", NoSniff(response));
        Assert.False(NoStore(response));
    }

    [Fact]
    public async Task Answer_to_an_authenticated_request_is_no_store()
    {
        var response = await app.Client(app.Token().Build()).GetAsync("/api/private", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("nosniff", NoSniff(response));
        Assert.True(NoStore(response));
    }

    [Fact]
    public async Task Answer_to_a_query_string_token_is_no_store()
    {
        await using var host = app.With("Production", ("Auth0:AllowQueryStringToken", "true"));

        var response = await host.CreateClient().GetAsync($"/api/private?access_token={app.Token().Build()}", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(NoStore(response));
    }

    [Theory]
    [InlineData("/api/private")]
    [InlineData("/nope")]
    [InlineData(ThrowingEndpoint.Route)]
    public async Task Errors_are_no_store_and_nosniff(string path)
    {
        var response = await app.Client().GetAsync(path, Ct);

        Assert.True((int)response.StatusCode >= 400);
        Assert.Equal("nosniff", NoSniff(response));
        Assert.True(NoStore(response));
    }

    [Fact]
    public async Task Minted_dev_token_is_no_store()
    {
        await using var host = app.With("Development", ("AUTH0_DOMAIN", null), ("DevIssuer:KeyPath", Path.Combine(Path.GetTempPath(), $"k{Guid.NewGuid():N}.pem")));

        var response = await host.CreateClient().PostAsJsonAsync("/dev/token", new { }, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(NoStore(response));
    }
}
