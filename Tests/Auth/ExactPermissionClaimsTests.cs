using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MySecureApi.Features.Messages;
using MySecureApi.Tests.Fixtures;

namespace MySecureApi.Tests.Auth;

/// <summary>
/// Only Auth0's exact <c>permissions</c> claim and the words of the exact <c>scope</c> claim grant a permission. ASP.NET
/// and FastEndpoints compare claim types ignoring case, so a claim spelt <c>Permissions</c>, <c>PERMISSIONS</c> or
/// <c>Scope</c> would otherwise pass for them. Each case is sent twice: validated, then from the verified-token cache.
/// </summary>
public sealed class ExactPermissionClaimsTests(AppFixture app)
{
    public static TheoryData<string> PermissionSpellings => new() { "Permissions", "PERMISSIONS", "permissionS" };

    public static TheoryData<string> ScopeSpellings => new() { "Scope", "SCOPE", "scopE" };

    private async Task AssertTwiceAsync(HttpClient client, string path, string token, Func<HttpResponseMessage, Task> assert)
    {
        await assert(await client.GetWithTokenAsync(path, token));
        await assert(await client.GetWithTokenAsync(path, token));
    }

    [Theory]
    [MemberData(nameof(PermissionSpellings))]
    public async Task A_permissions_claim_in_another_case_grants_nothing(string type)
    {
        var token = app.Token().Without("scope").With(type, new JsonArray("admin:access")).With("role", "admin").Build();

        await AssertTwiceAsync(app.CreateClient(), "/api/admin", token, r => Problem.AssertInsufficientScopeAsync(r, "admin:access"));
    }

    [Theory]
    [MemberData(nameof(ScopeSpellings))]
    public async Task A_scope_claim_in_another_case_grants_nothing(string type)
    {
        var token = app.Token().Without("scope").With(type, "read:messages admin:access").With("role", "admin").Build();

        await AssertTwiceAsync(app.CreateClient(), "/api/messages", token, r => Problem.AssertInsufficientScopeAsync(r, "read:messages"));
        await AssertTwiceAsync(app.CreateClient(), "/api/admin", token, r => Problem.AssertInsufficientScopeAsync(r, "admin:access"));
    }

    /// <summary>The exact spellings still grant (the control for the cases above).</summary>
    [Fact]
    public async Task The_exact_permissions_and_scope_claims_grant()
    {
        var byPermission = app.Token().Without("scope").Permissions("admin:access").With("role", "admin").Build();
        var byScope = app.Token().Scope("read:messages").Build();

        await AssertTwiceAsync(app.CreateClient(), "/api/admin", byPermission, r => { Assert.Equal(HttpStatusCode.OK, r.StatusCode); return Task.CompletedTask; });
        await AssertTwiceAsync(app.CreateClient(), "/api/messages", byScope, r => { Assert.Equal(HttpStatusCode.OK, r.StatusCode); return Task.CompletedTask; });
    }

    /// <summary>The messages' admin override reads the same permission: <c>Permissions: ["admin:access"]</c> is not an admin.</summary>
    [Theory]
    [MemberData(nameof(PermissionSpellings))]
    public async Task A_permissions_claim_in_another_case_does_not_make_an_admin_of_messages(string type)
    {
        await using var host = MessagesDatabase.Sqlite.Host(app);
        var alice = host.ClientFor(app, "auth0|alice");
        var created = await alice.PostAsJsonAsync("/api/messages", new { text = "mine" }, Ct);
        var id = (await created.Content.ReadFromJsonAsync<Message>(Ct))!.Id;
        var notAdmin = host.ClientFor(app, "auth0|mallory", "write:messages", t => t.With(type, new JsonArray("admin:access")).With("role", "admin"));

        for (var i = 0; i < 2; i++)
            await Problem.AssertForbiddenAsync(await notAdmin.PutAsJsonAsync($"/api/messages/{id}", new { text = "moderated" }, Ct));
    }
}
