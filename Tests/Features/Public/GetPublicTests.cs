using FastEndpoints;
using MySecureApi.Features.Public.GetPublic;
using MySecureApi.Tests.Fixtures;

namespace MySecureApi.Tests.Features.Public;

public sealed class GetPublicTests(AppFixture app)
{
    [Fact]
    public async Task Anonymous_request_gets_200_with_the_public_message()
    {
        var (response, result) = await app.Client().GETAsync<Endpoint, Response>();

        await Ok.AssertAsync(response, """{"message":"Public endpoint - no authentication required"}""");
        Assert.Equal(new Response("Public endpoint - no authentication required"), result);
    }

    [Fact]
    public async Task A_garbage_token_does_not_matter_on_a_public_route()
    {
        var response = await app.Client("not-a-token").GetAsync("/api/public", Ct);

        await Ok.AssertAsync(response, """{"message":"Public endpoint - no authentication required"}""");
    }
}
