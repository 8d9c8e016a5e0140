using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using MySecureApi.Tests.Fixtures;
using MySecureApi.Infrastructure.Auth.Tokens;

namespace MySecureApi.Tests.Auth;

/// <summary>The opt-in rules: the RFC 9068 access-token profile and a maximum token age.</summary>
public sealed class TokenProfileTests(AppFixture app)
{
    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    private WebApplicationFactory<Program> Strict() => app.With("Production", ("Auth0:StrictAccessTokenProfile", "true"));

    private TokenBuilder ProfileToken() =>
        app.Token().WithHeader("typ", "at+jwt").With("client_id", TokenBuilder.ClientId).With("jti", Guid.NewGuid().ToString("N"));

    [Theory]
    [InlineData("at+jwt")]
    [InlineData("application/at+jwt")]
    [InlineData("AT+JWT")]
    public async Task Strict_mode_accepts_an_rfc_9068_token(string typ)
    {
        await using var host = Strict();

        Assert.Equal(HttpStatusCode.OK, (await host.CreateClient().GetPrivateAsync(ProfileToken().WithHeader("typ", typ).Build())).StatusCode);
    }

    [Theory]
    [InlineData("JWT")]
    [InlineData(null)]
    public async Task Strict_mode_refuses_other_types(string? typ)
    {
        await using var host = Strict();
        var token = typ is null ? ProfileToken().WithoutHeader("typ") : ProfileToken().WithHeader("typ", typ);

        await Problem.AssertInvalidTokenAsync(await host.CreateClient().GetPrivateAsync(token.Build()), TokenFailure.TypeNotAllowed);
    }

    [Theory]
    [InlineData("iat")]
    [InlineData("client_id")]
    [InlineData("jti")]
    public async Task Strict_mode_requires_the_profile_claims(string claim)
    {
        await using var host = Strict();

        await Problem.AssertInvalidTokenAsync(await host.CreateClient().GetPrivateAsync(ProfileToken().Without(claim).Build()), TokenFailure.MissingClaim);
    }

    [Fact]
    public async Task Max_token_age_refuses_an_old_token()
    {
        await using var host = app.With("Production", ("Auth0:MaxTokenAgeSeconds", "600"));

        await Problem.AssertInvalidTokenAsync(await host.CreateClient().GetPrivateAsync(app.Token().With("iat", Now - 3600).Build()), TokenFailure.TooOld);
    }

    [Fact]
    public async Task Max_token_age_accepts_a_fresh_token()
    {
        await using var host = app.With("Production", ("Auth0:MaxTokenAgeSeconds", "600"));

        Assert.Equal(HttpStatusCode.OK, (await host.CreateClient().GetPrivateAsync(app.Token().With("iat", Now - 300).Build())).StatusCode);
    }

    [Fact]
    public async Task Max_token_age_requires_iat()
    {
        await using var host = app.With("Production", ("Auth0:MaxTokenAgeSeconds", "600"));

        await Problem.AssertInvalidTokenAsync(await host.CreateClient().GetPrivateAsync(app.Token().Without("iat").Build()), TokenFailure.MissingClaim);
    }

    [Fact]
    public async Task Without_max_token_age_an_old_unexpired_token_is_accepted() =>
        Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().GetPrivateAsync(app.Token().With("iat", Now - 86_400).Build())).StatusCode);
}
