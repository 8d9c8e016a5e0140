using FastEndpoints;
using MySecureApi.Features.Admin.GetAdmin;
using MySecureApi.Tests.Fixtures;
using MySecureApi.Infrastructure.Auth.Tokens;

namespace MySecureApi.Tests.Features.Admin;

public sealed class GetAdminTests(AppFixture app)
{
    [Fact]
    public async Task Admin_scope_and_admin_role_get_200_with_the_user_id()
    {
        var response = await app.GetAsync<Endpoint, Response>(app.Token().Scope("admin:access").With("role", "admin").Build());

        await Ok.AssertAsync(response, $$"""{"message":"Admin access granted","userId":"{{TokenBuilder.Subject}}"}""");
    }

    [Fact]
    public async Task Admin_permission_and_admin_role_get_200()
    {
        var response = await app.GetAsync<Endpoint, Response>(app.Token().Without("scope").Permissions("admin:access").With("role", "admin").Build());

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task No_token_gets_401_unauthorized()
    {
        await Problem.AssertUnauthorizedAsync(await app.GetAsync<Endpoint, Response>(null));
    }

    [Fact]
    public async Task Token_with_a_wrong_issuer_gets_401_invalid_token()
    {
        var response = await app.GetAsync<Endpoint, Response>(app.Token().Scope("admin:access").With("role", "admin").With("iss", "https://evil.example.com/").Build());

        await Problem.AssertInvalidTokenAsync(response, TokenFailure.InvalidIssuer);
    }

    [Fact]
    public async Task Admin_role_without_admin_access_gets_403_insufficient_scope()
    {
        var response = await app.GetAsync<Endpoint, Response>(app.Token().Scope("read:messages").With("role", "admin").Build());

        await Problem.AssertInsufficientScopeAsync(response, "admin:access");
    }

    [Fact]
    public async Task Neither_scope_nor_role_gets_403_insufficient_scope()
    {
        var response = await app.GetAsync<Endpoint, Response>(app.Token().Build());

        await Problem.AssertInsufficientScopeAsync(response, "admin:access");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("user")]
    [InlineData("Admin")]
    [InlineData("administrator")]
    public async Task Admin_access_without_the_admin_role_gets_403_forbidden(string? role)
    {
        var token = app.Token().Scope("admin:access");
        if (role is not null)
            token.With("role", role);

        await Problem.AssertForbiddenAsync(await app.GetAsync<Endpoint, Response>(token.Build()));
    }

    [Fact]
    public async Task Role_as_a_one_element_array_gets_403_forbidden_even_once_cached()
    {
        var token = app.Token().Scope("admin:access").With("role", new System.Text.Json.Nodes.JsonArray("admin")).Build();
        var client = app.Client(token);

        await Problem.AssertForbiddenAsync((await client.GETAsync<Endpoint, Response>()).Response);
        await Problem.AssertForbiddenAsync((await client.GETAsync<Endpoint, Response>()).Response);
    }
}
