using System.Text.Json.Nodes;
using MySecureApi.Features.Roles.GetRoles;
using MySecureApi.Tests.Fixtures;
using MySecureApi.Infrastructure.Auth.Tokens;

namespace MySecureApi.Tests.Features.Roles;

public sealed class GetRolesTests(AppFixture app)
{
    private const string Body = """{"message":"Role check passed"}""";

    [Fact]
    public async Task Roles_array_with_editor_and_viewer_gets_200()
    {
        await Ok.AssertAsync(await app.GetAsync<Endpoint, Response>(app.Token().With("roles", new JsonArray("viewer", "admin", "editor")).Build()), Body);
    }

    [Fact]
    public async Task Roles_space_delimited_string_with_editor_and_viewer_gets_200()
    {
        await Ok.AssertAsync(await app.GetAsync<Endpoint, Response>(app.Token().With("roles", "editor viewer").Build()), Body);
    }

    [Fact]
    public async Task No_token_gets_401_unauthorized()
    {
        await Problem.AssertUnauthorizedAsync(await app.GetAsync<Endpoint, Response>(null));
    }

    [Fact]
    public async Task Token_signed_with_another_algorithm_gets_401_invalid_token()
    {
        var token = app.Token().With("roles", new JsonArray("editor", "viewer")).Algorithm("RS512").Build();

        await Problem.AssertInvalidTokenAsync(await app.GetAsync<Endpoint, Response>(token), TokenFailure.AlgorithmNotAllowed);
    }

    public static TheoryData<JsonNode?> MissingARole => new()
    {
        { (JsonNode?)null },
        { new JsonArray("editor") },
        { new JsonArray("viewer") },
        { "editor" },
        { "editor,viewer" },
        { new JsonArray("Editor", "Viewer") },
    };

    [Theory]
    [MemberData(nameof(MissingARole))]
    public async Task Roles_without_both_editor_and_viewer_get_403_forbidden(JsonNode? roles)
    {
        var token = app.Token();
        if (roles is not null)
            token.With("roles", roles);

        await Problem.AssertForbiddenAsync(await app.GetAsync<Endpoint, Response>(token.Build()));
    }
}
