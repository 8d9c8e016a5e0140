using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using MySecureApi.Infrastructure.Auth.Tokens;
using MySecureApi.Tests.Fixtures;

namespace MySecureApi.Tests.Auth;

/// <summary>An API moving to a new identifier accepts both during the migration: <c>aud</c> must contain one of them, exactly.</summary>
public sealed class AudiencesTests(AppFixture app)
{
    private const string Old = "https://api.mysecureapi.test";
    private const string New = "https://api.v2.mysecureapi.test";

    public static TheoryData<string> Forms => new() { "variable", "array" };

    private WebApplicationFactory<Program> Host(string form) => form == "variable"
        ? app.With("Production", ("AUTH0_AUDIENCE", $"{Old}, {New}"))
        : app.With("Production", ("AUTH0_AUDIENCE", null), ("Auth0:Audiences:0", Old), ("Auth0:Audiences:1", New));

    private async Task<HttpResponseMessage> GetAsync(WebApplicationFactory<Program> host, JsonNode aud) =>
        await host.CreateClient().GetPrivateAsync(app.Token().With("aud", aud).Build());

    [Theory]
    [MemberData(nameof(Forms))]
    public async Task Each_audience_is_accepted(string form)
    {
        await using var host = Host(form);

        Assert.Equal(HttpStatusCode.OK, (await GetAsync(host, Old)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(host, New)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(host, new JsonArray("https://tenant.test.local/userinfo", New))).StatusCode);
    }

    [Theory]
    [MemberData(nameof(Forms))]
    public async Task Neither_audience_is_refused(string form)
    {
        await using var host = Host(form);

        await Problem.AssertInvalidTokenAsync(await GetAsync(host, "https://api.other.test"), TokenFailure.InvalidAudience);
        await Problem.AssertInvalidTokenAsync(await GetAsync(host, new JsonArray("https://tenant.test.local/userinfo", "https://api.other.test")), TokenFailure.InvalidAudience);
        await Problem.AssertInvalidTokenAsync(await GetAsync(host, New + "/"), TokenFailure.InvalidAudience);
        await Problem.AssertInvalidTokenAsync(await GetAsync(host, New.ToUpperInvariant()), TokenFailure.InvalidAudience);
    }

    [Fact]
    public async Task The_old_single_audience_stays_the_only_one_by_default()
    {
        await Problem.AssertInvalidTokenAsync(await app.Client().GetPrivateAsync(app.Token().With("aud", New).Build()), TokenFailure.InvalidAudience);
    }
}
