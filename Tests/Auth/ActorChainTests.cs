using System.Net;
using System.Text.Json.Nodes;
using MySecureApi.Infrastructure.Auth.Tokens;
using MySecureApi.Tests.Fixtures;

namespace MySecureApi.Tests.Auth;

/// <summary>
/// RFC 8693 §4.1 <c>act</c>: the chain is read once per token and bounded — at most <see cref="ActorChain.MaxDepth"/>
/// actors, each an object with a <c>sub</c> of 1–256 characters — and anything else is refused with its own description.
/// </summary>
public sealed class ActorChainTests(AppFixture app)
{
    private static JsonObject Chain(int depth)
    {
        JsonObject? act = null;
        for (var i = depth; i >= 1; i--)
        {
            var actor = new JsonObject { ["sub"] = $"agent|{i}" };
            if (act is not null)
                actor["act"] = act;
            act = actor;
        }
        return act!;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(ActorChain.MaxDepth)]
    public async Task A_chain_up_to_the_bound_is_accepted(int depth)
    {
        var token = app.Token().With("act", Chain(depth)).Build();

        Assert.Equal(HttpStatusCode.OK, (await app.Client().GetWithTokenAsync("/api/private", token)).StatusCode);
    }

    [Theory]
    [InlineData(ActorChain.MaxDepth + 1)]
    [InlineData(25)]
    public async Task A_deeper_chain_is_refused(int depth)
    {
        var token = app.Token().With("act", Chain(depth)).Build();

        await Problem.AssertInvalidTokenAsync(await app.Client().GetWithTokenAsync("/api/private", token), TokenFailure.ActorChainTooDeep);
    }

    /// <summary>Past JSON's own depth limit (64), the token is not even parsed: malformed, as any over-nested payload.</summary>
    [Fact]
    public async Task A_chain_past_the_json_depth_limit_is_malformed()
    {
        var token = app.Token().With("act", Chain(200)).Build();

        await Problem.AssertInvalidTokenAsync(await app.Client().GetWithTokenAsync("/api/private", token), TokenFailure.Malformed);
    }

    public static TheoryData<string> MalformedActors => new()
    {
        "\"agent|1\"",
        "[]",
        "null",
        "{}",
        """{"sub":42}""",
        """{"sub":""}""",
        $$"""{"sub":"{{new string('a', ActorChain.MaxSubjectLength + 1)}}"}""",
        """{"sub":"agent|1","act":"agent|0"}""",
        """{"sub":"agent|1","act":{}}""",
        """{"sub":"agent|1","act":null}""",
        """{"act":{"sub":"agent|0"}}""",
    };

    [Theory]
    [MemberData(nameof(MalformedActors))]
    public async Task A_malformed_actor_is_refused(string act)
    {
        var token = app.Token().With("act", JsonNode.Parse(act)).Build();

        await Problem.AssertInvalidTokenAsync(await app.Client().GetWithTokenAsync("/api/private", token), TokenFailure.MalformedActor);
    }

    [Fact]
    public async Task Members_besides_sub_and_act_are_ignored()
    {
        var token = app.Token().With("act", JsonNode.Parse("""{"sub":"agent|1","client_id":"abc","iss":"https://other.example/"}""")).Build();

        Assert.Equal(HttpStatusCode.OK, (await app.Client().GetWithTokenAsync("/api/private", token)).StatusCode);
    }
}
