using System.Net;
using System.Text.Json;
using FastEndpoints;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using MySecureApi.Features.WellKnown.GetProtectedResource;
using MySecureApi.Infrastructure.Auth.Access;
using MySecureApi.Tests.Fixtures;

namespace MySecureApi.Tests.Features.WellKnown;

/// <summary>RFC 9728 protected resource metadata, member by member, in each configuration that changes it.</summary>
public sealed class GetProtectedResourceTests(AppFixture app)
{
    private const string Path = "/.well-known/oauth-protected-resource";

    private static async Task<JsonElement> DocumentAsync(HttpClient client)
    {
        var response = await client.GetAsync(Path, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("public, max-age=3600", response.Headers.CacheControl?.ToString());
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.Clone();
    }

    private static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];

    [Fact]
    public async Task The_default_document_has_every_member_and_nothing_else()
    {
        var document = await DocumentAsync(app.Client());

        Assert.Equal(
            ["resource", "authorization_servers", "scopes_supported", "bearer_methods_supported", "dpop_signing_alg_values_supported", "dpop_bound_access_tokens_required"],
            document.EnumerateObject().Select(p => p.Name));
        Assert.Equal(TokenBuilder.Audience, document.GetProperty("resource").GetString());
        Assert.Equal([TestIssuer.Issuer], Strings(document.GetProperty("authorization_servers")));
        Assert.Equal(["admin:access", "read:messages", "write:messages"], Strings(document.GetProperty("scopes_supported")));
        Assert.Equal(["header"], Strings(document.GetProperty("bearer_methods_supported")));
        Assert.Equal(["ES256", "ES384", "RS256", "PS256", "EdDSA"], Strings(document.GetProperty("dpop_signing_alg_values_supported")));
        Assert.False(document.GetProperty("dpop_bound_access_tokens_required").GetBoolean());
    }

    [Fact]
    public async Task Scopes_are_generated_from_every_endpoints_declaration()
    {
        var declared = app.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .Select(e => e.Metadata.GetMetadata<EndpointDefinition>())
            .OfType<EndpointDefinition>()
            .SelectMany(d => (d.AllowedPermissions ?? []).Concat(d.AllowedScopes ?? []))
            .ToHashSet();

        var document = await DocumentAsync(app.Client());

        Assert.Equal(declared.Order(StringComparer.Ordinal), Strings(document.GetProperty("scopes_supported")));
        Assert.Equal(Allow.Descriptions.Keys.Order(StringComparer.Ordinal), Strings(document.GetProperty("scopes_supported")));
    }

    [Theory]
    [InlineData("Required", true)]
    [InlineData("Allowed", false)]
    public async Task Dpop_members_follow_the_mode(string mode, bool required)
    {
        await using var host = app.With("Production", ("AUTH0_DPOP_MODE", mode), ("Auth0:DPoP:Algorithms:0", "ES256"));

        var document = await DocumentAsync(host.CreateClient());

        Assert.Equal(["ES256"], Strings(document.GetProperty("dpop_signing_alg_values_supported")));
        Assert.Equal(required, document.GetProperty("dpop_bound_access_tokens_required").GetBoolean());
    }

    [Fact]
    public async Task Without_dpop_the_dpop_members_are_absent()
    {
        await using var host = app.With("Production", ("AUTH0_DPOP_MODE", "Disabled"));

        var document = await DocumentAsync(host.CreateClient());

        Assert.False(document.TryGetProperty("dpop_signing_alg_values_supported", out _));
        Assert.False(document.TryGetProperty("dpop_bound_access_tokens_required", out _));
    }

    [Fact]
    public async Task Several_issuers_are_all_authorization_servers()
    {
        using var custom = new TestIssuer("login.example.test");
        await using var host = app.WithIssuers(new IssuerRouter(app.Issuer, custom), [app.Issuer, custom]);

        var document = await DocumentAsync(host.CreateClient());

        Assert.Equal([TestIssuer.Issuer, "https://login.example.test/"], Strings(document.GetProperty("authorization_servers")));
    }

    [Fact]
    public async Task Token_methods_follow_the_settings()
    {
        await using var host = app.With("Production", ("Auth0:AllowFormBodyToken", "true"), ("Auth0:AllowQueryStringToken", "true"));

        var document = await DocumentAsync(host.CreateClient());

        Assert.Equal(["header", "body", "query"], Strings(document.GetProperty("bearer_methods_supported")));
    }

    [Theory]
    [InlineData(null, "urn:my-api", "http://localhost")]
    [InlineData("https://api.example.com/v1", "urn:my-api", "https://api.example.com/v1")]
    [InlineData(null, "https://api.one.test,https://api.two.test", "https://api.one.test")]
    public async Task The_resource_is_configured_else_the_first_https_audience_else_the_apis_url(string? resource, string audiences, string expected)
    {
        await using var host = app.With("Production", ("Auth0:Resource", resource), ("AUTH0_AUDIENCE", audiences));

        var document = await DocumentAsync(host.CreateClient());

        Assert.Equal(expected, document.GetProperty("resource").GetString());
    }

    [Theory]
    [InlineData("http://api.example.com")]
    [InlineData("api.example.com")]
    [InlineData("https://api.example.com/#fragment")]
    public void A_resource_that_is_not_an_https_url_stops_startup(string resource)
    {
        using var host = app.With("Production", ("Auth0:Resource", resource));

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => host.CreateClient());

        Assert.StartsWith("Auth0:Resource must be an https URL", error.Message);
    }

    [Fact]
    public async Task It_is_typed_in_the_openapi_client_helpers_and_needs_no_token()
    {
        var (response, result) = await app.Client().GETAsync<Endpoint, Response>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(TokenBuilder.Audience, result.Resource);
        Assert.Equal([TestIssuer.Issuer], result.AuthorizationServers);
    }

    [Fact]
    public async Task Every_401_challenge_names_the_document_and_it_resolves()
    {
        var challenged = await app.Client().GetAsync("/api/private", Ct);

        var challenges = challenged.Headers.WwwAuthenticate.Select(h => h.ToString()).ToList();
        Assert.Equal(2, challenges.Count);
        Assert.All(challenges, c => Assert.EndsWith($", resource_metadata=\"http://localhost{Path}\"", c, StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await app.Client().GetAsync($"http://localhost{Path}", Ct)).StatusCode);
    }
}
