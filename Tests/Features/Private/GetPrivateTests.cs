using FastEndpoints;
using MySecureApi.Features.Private.GetPrivate;
using MySecureApi.Tests.Fixtures;
using MySecureApi.Infrastructure.Auth.Tokens;

namespace MySecureApi.Tests.Features.Private;

public sealed class GetPrivateTests(AppFixture app)
{
    [Fact]
    public async Task Valid_token_gets_200_with_its_subject()
    {
        var (response, result) = await app.Client(app.Token().Build()).GETAsync<Endpoint, Response>();

        await Ok.AssertAsync(response, $$"""{"message":"Private endpoint","user":"{{TokenBuilder.Subject}}"}""");
        Assert.Equal(new Response("Private endpoint", TokenBuilder.Subject), result);
    }

    [Fact]
    public async Task No_token_gets_401_unauthorized()
    {
        var (response, _) = await app.Client().GETAsync<Endpoint, Response>();

        await Problem.AssertUnauthorizedAsync(response);
    }

    [Fact]
    public async Task Token_signed_by_an_unpublished_key_gets_401_invalid_token()
    {
        var token = app.Token().SignedWith(app.Issuer.UnpublishedKey, keepKid: true).Build();

        var (response, _) = await app.Client(token).GETAsync<Endpoint, Response>();

        await Problem.AssertInvalidTokenAsync(response, TokenFailure.InvalidSignature);
    }

    [Fact]
    public async Task Expired_token_gets_401_invalid_token()
    {
        var token = app.Token().ExpiresIn(TimeSpan.FromMinutes(-5)).Build();

        var (response, _) = await app.Client(token).GETAsync<Endpoint, Response>();

        await Problem.AssertInvalidTokenAsync(response, TokenFailure.Expired);
    }
}
