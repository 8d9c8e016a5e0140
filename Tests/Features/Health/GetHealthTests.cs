using FastEndpoints;
using MySecureApi.Features.Health.GetHealth;
using MySecureApi.Tests.Fixtures;

namespace MySecureApi.Tests.Features.Health;

public sealed class GetHealthTests(AppFixture app)
{
    [Fact]
    public async Task Anonymous_request_gets_200_healthy()
    {
        var (response, result) = await app.Client().GETAsync<Endpoint, Response>();

        await Ok.AssertAsync(response, """{"status":"healthy"}""");
        Assert.Equal(new Response("healthy"), result);
    }
}
