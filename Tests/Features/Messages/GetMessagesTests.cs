using System.Text.Json.Nodes;
using MySecureApi.Features.Messages.GetMessages;
using MySecureApi.Tests.Infrastructure;
using MySecureApi.Infrastructure.Auth.Tokens;

namespace MySecureApi.Tests.Features.Messages;

public sealed class GetMessagesTests(AppFixture app)
{
    private const string Body = """{"messages":[{"id":1,"text":"Hello from the API!"}]}""";

    [Fact]
    public async Task Token_with_read_messages_scope_gets_200_with_the_messages()
    {
        var response = await app.GetAsync<Endpoint, Response>(app.Token().Scope("openid profile read:messages").Build());

        await Ok.AssertAsync(response, Body);
    }

    [Fact]
    public async Task Token_with_only_the_read_messages_permission_gets_200()
    {
        var response = await app.GetAsync<Endpoint, Response>(app.Token().Without("scope").Permissions("read:messages").Build());

        await Ok.AssertAsync(response, Body);
    }

    [Fact]
    public async Task Token_with_scope_as_a_json_array_gets_200()
    {
        var response = await app.GetAsync<Endpoint, Response>(app.Token().With("scope", new JsonArray("openid", "read:messages")).Build());

        await Ok.AssertAsync(response, Body);
    }

    [Fact]
    public async Task Token_with_a_superset_of_scopes_gets_200()
    {
        var response = await app.GetAsync<Endpoint, Response>(app.Token().Scope("write:messages read:messages admin:access").Permissions("delete:messages").Build());

        await Ok.AssertAsync(response, Body);
    }

    [Fact]
    public async Task No_token_gets_401_unauthorized()
    {
        await Problem.AssertUnauthorizedAsync(await app.GetAsync<Endpoint, Response>(null));
    }

    [Fact]
    public async Task Token_for_another_audience_gets_401_invalid_token()
    {
        var response = await app.GetAsync<Endpoint, Response>(app.Token().Scope("read:messages").With("aud", "https://other.example.com").Build());

        await Problem.AssertInvalidTokenAsync(response, TokenFailure.InvalidAudience);
    }

    [Fact]
    public async Task Token_without_read_messages_gets_403_insufficient_scope()
    {
        var response = await app.GetAsync<Endpoint, Response>(app.Token().Scope("openid profile write:messages").Permissions("admin:access").Build());

        await Problem.AssertInsufficientScopeAsync(response, "read:messages");
    }

    [Theory]
    [InlineData("read:messages:all")]
    [InlineData("read")]
    [InlineData("READ:MESSAGES")]
    [InlineData("read:message")]
    public async Task Token_with_a_lookalike_scope_gets_403_insufficient_scope(string lookalike)
    {
        var response = await app.GetAsync<Endpoint, Response>(app.Token().Scope(lookalike).Permissions(lookalike).Build());

        await Problem.AssertInsufficientScopeAsync(response, "read:messages");
    }

    [Fact]
    public async Task Permissions_given_as_a_space_delimited_string_are_not_split()
    {
        var response = await app.GetAsync<Endpoint, Response>(app.Token().Without("scope").With("permissions", "openid read:messages").Build());

        await Problem.AssertInsufficientScopeAsync(response, "read:messages");
    }
}
