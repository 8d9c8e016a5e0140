using MySecureApi.Features.Org.GetOrg;
using MySecureApi.Tests.Fixtures;
using MySecureApi.Infrastructure.Auth.Tokens;

namespace MySecureApi.Tests.Features.Org;

public sealed class GetOrgTests(AppFixture app)
{
    [Theory]
    [InlineData("org_abc123")]
    [InlineData("org_1")]
    [InlineData("ORG-Z")]
    public async Task Token_of_the_same_organization_gets_200(string orgId)
    {
        var response = await app.GetAsync<Endpoint, Request, Response>(new Request { OrgId = orgId }, app.Token().With("org_id", orgId).Build());

        await Ok.AssertAsync(response, """{"message":"Organization access granted"}""");
    }

    [Theory]
    [InlineData("org_1", "org_abc123")]
    [InlineData("org_abc123", "org_1")]
    [InlineData("org_2", "org_1")]
    public async Task Token_of_one_organization_gets_403_on_another_organizations_path(string claim, string path)
    {
        await Problem.AssertForbiddenAsync(await app.GetAsync<Endpoint, Request, Response>(new Request { OrgId = path }, app.Token().With("org_id", claim).Build()));
    }

    [Fact]
    public async Task No_token_gets_401_unauthorized()
    {
        await Problem.AssertUnauthorizedAsync(await app.GetAsync<Endpoint, Request, Response>(new Request { OrgId = "org_abc123" }, null));
    }

    [Fact]
    public async Task Tampered_payload_gets_401_invalid_token()
    {
        var genuine = app.Token().With("org_id", "org_other").Build().Split('.');
        var forged = app.Token().With("org_id", "org_abc123");
        var token = $"{TokenBuilder.Encode(forged.Header)}.{TokenBuilder.Encode(forged.Payload)}.{genuine[2]}";

        await Problem.AssertInvalidTokenAsync(await app.GetAsync<Endpoint, Request, Response>(new Request { OrgId = "org_abc123" }, token), TokenFailure.InvalidSignature);
    }

    [Theory]
    [InlineData("org_other")]
    [InlineData("ORG_ABC123")]
    [InlineData("org_abc1234")]
    [InlineData("org_abc12")]
    public async Task Token_of_another_organization_gets_403_forbidden(string claim)
    {
        await Problem.AssertForbiddenAsync(await app.GetAsync<Endpoint, Request, Response>(new Request { OrgId = "org_abc123" }, app.Token().With("org_id", claim).Build()));
    }

    [Fact]
    public async Task Token_without_an_organization_gets_403_forbidden()
    {
        await Problem.AssertForbiddenAsync(await app.GetAsync<Endpoint, Request, Response>(new Request { OrgId = "org_abc123" }, app.Token().Build()));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(1)]
    public async Task Org_id_as_an_array_does_not_match(int elements)
    {
        var values = new[] { "org_abc123", "org_other" }.Take(elements).Select(v => (System.Text.Json.Nodes.JsonNode?)v).ToArray();
        var token = app.Token().With("org_id", new System.Text.Json.Nodes.JsonArray(values)).Build();

        var response = await app.GetAsync<Endpoint, Request, Response>(new Request { OrgId = "org_abc123" }, token);

        await Problem.AssertForbiddenAsync(response);
    }
}
