using System.Net;
using System.Security.Claims;
using Microsoft.Extensions.DependencyInjection;
using MySecureApi.Infrastructure.Auth.Tokens;
using MySecureApi.Tests.Fixtures;

namespace MySecureApi.Tests.Auth;

/// <summary>Authentication only where a route needs it, and a cached token's principal shared read-only.</summary>
public sealed class CachedBearerAuthenticationTests(AppFixture app)
{
    private VerifiedTokens Cache => app.Services.GetRequiredService<VerifiedTokens>();

    [Fact]
    public async Task A_token_sent_to_a_route_that_allows_anonymous_access_is_not_validated()
    {
        var token = app.Token().With("sub", "auth0|anonymous-route").Build();

        Assert.Equal(HttpStatusCode.OK, (await app.Client(token).GetAsync("/api/public", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Client(token).GetAsync("/health", Ct)).StatusCode);
        Assert.Null(Cache.ValidBearerPrincipal(token, new Microsoft.AspNetCore.Http.DefaultHttpContext()));

        // The same token on a protected route is validated, and so cached: the check above can fail.
        Assert.Equal(HttpStatusCode.OK, (await app.Client(token).GetPrivateAsync(token)).StatusCode);
        Assert.NotNull(Cache.ValidBearerPrincipal(token, new Microsoft.AspNetCore.Http.DefaultHttpContext()));
    }

    [Fact]
    public async Task Every_request_with_a_cached_token_gets_the_same_principal_and_none_can_change_it()
    {
        var token = app.Token().With("sub", "auth0|shared-principal").Build();
        Assert.Equal(HttpStatusCode.OK, (await app.Client(token).GetPrivateAsync(token)).StatusCode);

        var first = Cache.ValidBearerPrincipal(token, new Microsoft.AspNetCore.Http.DefaultHttpContext())!;
        Assert.Same(first, Cache.ValidBearerPrincipal(token, new Microsoft.AspNetCore.Http.DefaultHttpContext()));
        var identity = Assert.Single(first.Identities);
        Assert.Throws<InvalidOperationException>(() => identity.AddClaim(new Claim("permissions", "admin:access")));
        Assert.Throws<InvalidOperationException>(() => identity.AddClaims([new Claim("role", "admin")]));
        Assert.Throws<InvalidOperationException>(() => identity.RemoveClaim(identity.FindFirst("sub")));
        Assert.Throws<InvalidOperationException>(() => identity.TryRemoveClaim(identity.FindFirst("sub")));
        Assert.Throws<InvalidOperationException>(() => first.AddIdentity(new ClaimsIdentity([new Claim("role", "admin")], "forged")));
        Assert.False(first.HasClaim("permissions", "admin:access"));
        Assert.Equal("auth0|shared-principal", first.Identity!.Name);

        // A copy is an ordinary identity: code that must change claims clones first.
        var copy = identity.Clone();
        copy.AddClaim(new Claim("role", "admin"));
        Assert.False(first.HasClaim("role", "admin"));
    }
}
