using System.Text.Json.Nodes;
using MySecureApi.Features.Premium.GetPremium;
using MySecureApi.Tests.Fixtures;

namespace MySecureApi.Tests.Features.Premium;

public sealed class GetPremiumTests(AppFixture app)
{
    [Fact]
    public async Task Premium_subscription_and_verified_true_get_200()
    {
        var token = app.Token().With("subscription", "premium").With("verified", true).Build();

        await Ok.AssertAsync(await app.GetAsync<Endpoint, Response>(token), """{"message":"Premium feature access granted"}""");
    }

    [Fact]
    public async Task No_token_gets_401_unauthorized()
    {
        await Problem.AssertUnauthorizedAsync(await app.GetAsync<Endpoint, Response>(null));
    }

    [Fact]
    public async Task Token_with_alg_none_gets_401_invalid_token()
    {
        var token = app.Token().With("subscription", "premium").With("verified", true).Unsigned().Build();

        var response = await app.GetAsync<Endpoint, Response>(token);

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith("Bearer realm=\"api\", error=\"invalid_token\"", Problem.Challenge(response));
    }

    public static TheoryData<string?, JsonNode?> NotPremium => new()
    {
        { "premium", "true" },
        { "premium", false },
        { "premium", 1 },
        { "premium", null },
        { "basic", true },
        { "Premium", true },
        { null, true },
        { "premium", new JsonArray(true) },
    };

    [Fact]
    public async Task Subscription_as_a_one_element_array_gets_403_forbidden()
    {
        var token = app.Token().With("subscription", new JsonArray("premium")).With("verified", true).Build();

        await Problem.AssertForbiddenAsync(await app.GetAsync<Endpoint, Response>(token));
    }

    [Theory]
    [MemberData(nameof(NotPremium))]
    public async Task Anything_but_premium_and_boolean_true_gets_403_forbidden(string? subscription, JsonNode? verified)
    {
        var token = app.Token();
        if (subscription is not null)
            token.With("subscription", subscription);
        if (verified is not null)
            token.With("verified", verified.DeepClone());

        await Problem.AssertForbiddenAsync(await app.GetAsync<Endpoint, Response>(token.Build()));
    }
}
