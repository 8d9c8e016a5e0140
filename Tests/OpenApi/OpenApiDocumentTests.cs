using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using MySecureApi.Tests.Fixtures;

namespace MySecureApi.Tests.OpenApi;

/// <summary>The OpenAPI document states each operation's access rules, taken from the endpoints' declarations.</summary>
public sealed class OpenApiDocumentTests(AppFixture app)
{

    private static async Task<JsonElement> DocumentAsync(WebApplicationFactory<Program> host)
    {
        var response = await host.CreateClient().GetAsync("/swagger/v1/swagger.json", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
    }

    private static JsonElement Operation(JsonElement document, string path) => document.GetProperty("paths").GetProperty(path).GetProperty("get");

    private static string[] Strings(JsonElement operation, string extension) =>
        operation.GetProperty(extension).EnumerateArray().Select(e => e.GetString()!).ToArray();

    [Theory]
    [InlineData("/api/private", new string[0], 0)]
    [InlineData("/api/messages", new[] { "read:messages" }, 0)]
    [InlineData("/api/admin", new[] { "admin:access" }, 1)]
    [InlineData("/api/org/{orgId}", new string[0], 1)]
    [InlineData("/api/roles", new string[0], 1)]
    [InlineData("/api/premium", new string[0], 2)]
    public async Task Protected_operations_list_their_security_scopes_and_claim_rules(string path, string[] scopes, int claimRules)
    {
        await using var host = app.With("Development");
        var operation = Operation(await DocumentAsync(host), path);

        Assert.True(operation.GetProperty("security")[0].TryGetProperty("JWTBearerAuth", out _));
        Assert.Equal(scopes, Strings(operation, "x-required-scopes"));
        Assert.Equal(claimRules, Strings(operation, "x-required-claims").Length);
        Assert.Contains("**Requires:** a valid access token", operation.GetProperty("description").GetString());
        foreach (var status in claimRules + scopes.Length > 0 ? new[] { "400", "401", "403" } : ["400", "401"])
            Assert.EndsWith("ProblemBody", operation.GetProperty("responses").GetProperty(status)
                .GetProperty("content").GetProperty("application/problem+json").GetProperty("schema").GetProperty("$ref").GetString());
    }

    [Theory]
    [InlineData("/api/public")]
    [InlineData("/health")]
    [InlineData("/.well-known/oauth-protected-resource")]
    public async Task Public_operations_have_no_security_requirement(string path)
    {
        await using var host = app.With("Development");
        var operation = Operation(await DocumentAsync(host), path);

        // One empty requirement object: no credentials needed (stated, rather than left out).
        var requirement = Assert.Single(operation.GetProperty("security").EnumerateArray().ToList());
        Assert.Empty(requirement.EnumerateObject());
        Assert.False(operation.GetProperty("responses").TryGetProperty("401", out _));
        Assert.True(operation.GetProperty("responses").TryGetProperty("429", out _));
    }

    [Fact]
    public async Task Dev_issuer_routes_are_documented_only_in_dev_issuer_mode()
    {
        await using var tenant = app.With("Development");
        await using var dev = app.With("Development", ("AUTH0_DOMAIN", null), ("DevIssuer:KeyPath", Path.Combine(Path.GetTempPath(), $"k{Guid.NewGuid():N}.pem")));

        Assert.False((await DocumentAsync(tenant)).GetProperty("paths").TryGetProperty("/dev/token", out _));
        Assert.True((await DocumentAsync(dev)).GetProperty("paths").TryGetProperty("/dev/token", out _));
    }

    [Fact]
    public async Task Swagger_is_off_outside_development_unless_enabled()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client().GetAsync("/swagger/v1/swagger.json", Ct)).StatusCode);

        await using var enabled = app.With("Production", ("Swagger:Enabled", "true"));
        Assert.Equal(HttpStatusCode.OK, (await enabled.CreateClient().GetAsync("/swagger/v1/swagger.json", Ct)).StatusCode);
    }

    [Fact]
    public async Task Swagger_client_id_adds_an_auth0_pkce_login_for_the_api_audience()
    {
        await using var host = app.With("Development", ("AUTH0_SWAGGER_CLIENT_ID", "swagger-client-123"));
        var document = await DocumentAsync(host);

        var flow = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Auth0")
            .GetProperty("flows").GetProperty("authorizationCode");
        Assert.Equal($"{TestIssuer.Issuer}authorize", flow.GetProperty("authorizationUrl").GetString());
        Assert.Equal($"{TestIssuer.Issuer}oauth/token", flow.GetProperty("tokenUrl").GetString());
        var security = Operation(document, "/api/messages").GetProperty("security").EnumerateArray()
            .Single(s => s.TryGetProperty("Auth0", out _)).GetProperty("Auth0");
        Assert.Equal(["read:messages"], security.EnumerateArray().Select(s => s.GetString()));

        var ui = await host.CreateClient().GetStringAsync("/swagger/index.html", Ct);
        Assert.Contains("swagger-client-123", ui);
        Assert.Contains("usePkceWithAuthorizationCodeGrant: true", ui);
        Assert.Contains($"additionalQueryStringParams: {{\"audience\":\"{TokenBuilder.Audience}\"}}", ui);
        // A public client (an Auth0 single-page application): no secret pre-filled, so none is posted to the token endpoint.
        Assert.Contains("var clientSecret = \"\";", ui);
        Assert.DoesNotContain("client_secret", ui);
        Assert.DoesNotContain("realm:", ui);
    }

    [Fact]
    public async Task Dpop_scheme_is_documented_unless_disabled()
    {
        await using var allowed = app.With("Development");
        await using var disabled = app.With("Development", ("AUTH0_DPOP_MODE", "Disabled"));

        var schemes = (await DocumentAsync(allowed)).GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("DPoP", schemes.GetProperty("DPoP").GetProperty("scheme").GetString());
        Assert.Contains(Operation(await DocumentAsync(allowed), "/api/private").GetProperty("security").EnumerateArray(), s => s.TryGetProperty("DPoP", out _));
        Assert.False((await DocumentAsync(disabled)).GetProperty("components").GetProperty("securitySchemes").TryGetProperty("DPoP", out _));
    }

    [Fact]
    public async Task The_document_names_no_host_and_keeps_no_unused_schema()
    {
        await using var host = app.With("Development");
        var document = await DocumentAsync(host);

        Assert.Equal("/", Assert.Single(document.GetProperty("servers").EnumerateArray().ToList()).GetProperty("url").GetString());
        var json = document.GetRawText();
        foreach (var schema in document.GetProperty("components").GetProperty("schemas").EnumerateObject())
            Assert.Contains($"\"#/components/schemas/{schema.Name}\"", json);
    }

    [Fact]
    public async Task Every_scope_a_route_declares_is_offered_by_the_auth0_login()
    {
        await using var host = app.With("Development", ("AUTH0_SWAGGER_CLIENT_ID", "swagger-client-123"));
        var document = await DocumentAsync(host);
        var declared = host.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints
            .Select(e => e.Metadata.GetMetadata<FastEndpoints.EndpointDefinition>())
            .SelectMany(d => d?.AllowedPermissions ?? []).ToHashSet();

        var offered = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Auth0")
            .GetProperty("flows").GetProperty("authorizationCode").GetProperty("scopes").EnumerateObject().Select(p => p.Name).ToHashSet();

        Assert.Contains("write:messages", declared);
        Assert.Subset(offered, declared);
    }

    [Theory]
    [InlineData("post", "/api/messages", "write:messages", new[] { "201", "400", "401", "403", "409", "413", "415", "422", "429", "503" }, false)]
    [InlineData("put", "/api/messages/{id}", "write:messages", new[] { "200", "400", "401", "403", "404", "412", "413", "415", "429", "503" }, true)]
    [InlineData("delete", "/api/messages/{id}", "write:messages", new[] { "204", "401", "403", "404", "412", "429", "503" }, true)]
    [InlineData("get", "/api/messages/{id}", "read:messages", new[] { "200", "304", "401", "403", "404", "429", "503" }, false)]
    public async Task Message_operations_document_their_statuses_scope_and_owner_rule(string method, string path, string scope, string[] statuses, bool ownerRule)
    {
        await using var host = app.With("Development");
        var operation = (await DocumentAsync(host)).GetProperty("paths").GetProperty(path).GetProperty(method);

        Assert.Equal([scope], Strings(operation, "x-required-scopes"));
        Assert.Equal(ownerRule, Strings(operation, "x-required-claims").Any(c => c.Contains("author", StringComparison.Ordinal)));
        var documented = operation.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToList();
        Assert.Subset(documented.ToHashSet(), statuses.ToHashSet());
        foreach (var error in documented.Where(status => status[0] is '4' or '5'))
            Assert.True(operation.GetProperty("responses").GetProperty(error).GetProperty("content").TryGetProperty("application/problem+json", out _), error);
    }

    [Theory]
    [InlineData("delete", "/api/messages/{id}", "refused")]
    [InlineData("put", "/api/messages/{id}", "allowed")]
    [InlineData("post", "/api/messages", "allowed")]
    [InlineData("get", "/api/messages", "allowed")]
    public async Task Each_protected_operation_says_whether_it_takes_delegated_calls(string method, string path, string delegated)
    {
        await using var host = app.With("Development");
        var operation = (await DocumentAsync(host)).GetProperty("paths").GetProperty(path).GetProperty(method);

        Assert.Equal(delegated, operation.GetProperty("x-delegated-calls").GetString());
        Assert.Equal(delegated == "refused", operation.GetProperty("responses").GetProperty("403").GetProperty("description").GetString()!.Contains("delegation_refused", StringComparison.Ordinal));
    }

    /// <summary>
    /// The document describes the requests the API takes: headers under their exact names, bodies that hold only what is
    /// read from the body, no body where none is read, and no member required that the API defaults.
    /// </summary>
    [Fact]
    public async Task The_document_describes_only_the_requests_the_api_takes()
    {
        await using var dev = app.With("Development", ("AUTH0_DOMAIN", null), ("DevIssuer:KeyPath", Path.Combine(Path.GetTempPath(), $"k{Guid.NewGuid():N}.pem")));
        var document = await DocumentAsync(dev);
        var paths = document.GetProperty("paths");
        var schemas = document.GetProperty("components").GetProperty("schemas");
        string[] Headers(string path, string method) => [.. paths.GetProperty(path).GetProperty(method).GetProperty("parameters").EnumerateArray()
            .Where(p => p.GetProperty("in").GetString() == "header").Select(p => p.GetProperty("name").GetString()!)];
        JsonElement BodySchema(string path, string method)
        {
            var body = paths.GetProperty(path).GetProperty(method).GetProperty("requestBody").GetProperty("content");
            Assert.Equal(["application/json"], body.EnumerateObject().Select(c => c.Name));
            var reference = body.GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString()!;
            return schemas.GetProperty(reference["#/components/schemas/".Length..]);
        }
        string[] Members(JsonElement schema) => [.. schema.GetProperty("properties").EnumerateObject().Select(p => p.Name)];

        Assert.Equal(["If-Match"], Headers("/api/messages/{id}", "put"));
        Assert.Equal(["If-Match"], Headers("/api/messages/{id}", "delete"));
        Assert.Equal(["If-None-Match"], Headers("/api/messages/{id}", "get"));
        Assert.Equal(["Idempotency-Key"], Headers("/api/messages", "post"));
        Assert.False(paths.GetProperty("/api/messages/{id}").GetProperty("delete").TryGetProperty("requestBody", out _));
        Assert.Equal(["text"], Members(BodySchema("/api/messages/{id}", "put")));
        Assert.Equal(["text"], Members(BodySchema("/api/messages", "post")));
        var token = BodySchema("/dev/token", "post");
        Assert.Contains("sub", Members(token));
        Assert.False(token.TryGetProperty("required", out var required) && required.EnumerateArray().Any(r => r.GetString() == "sub"));
    }
}
