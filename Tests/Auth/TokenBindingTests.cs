using System.Net;
using System.Text.Json.Nodes;
using MySecureApi.Tests.Fixtures;
using MySecureApi.Infrastructure.Auth.Tokens;

namespace MySecureApi.Tests.Auth;

/// <summary>
/// RFC 7800 <c>cnf</c>: a token bound to its holder by a method this API cannot verify (mTLS <c>x5t#S256</c>, a raw
/// <c>jwk</c>, a <c>kid</c>…) is refused, never used as a bearer token; only <c>jkt</c> (DPoP) binding is understood.
/// </summary>
public sealed class TokenBindingTests(AppFixture app)
{
    public static TheoryData<string> UncheckableBindings => new()
    {
        """{"x5t#S256":"bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2"}""",
        """{"jwk":{"kty":"EC","crv":"P-256","x":"l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs","y":"9VE4jf_Ok_o64zbTTlcuNJajHmt6v9TDVrU0CdvGRDA"}}""",
        """{"kid":"dfd1aa97-6d8d-4575-a0fe-34b96de2bfad"}""",
        """{"jku":"https://client.example/keys"}""",
        """{"jkt":"0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I","x5t#S256":"bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2"}""",
        """{"jkt":42}""",
        """{"jkt":""}""",
        """{}""",
        "\"x5t#S256\"",
        "[]",
        "null",
    };

    [Theory]
    [MemberData(nameof(UncheckableBindings))]
    public async Task Token_bound_by_a_method_the_api_cannot_check_is_refused_as_bearer(string cnf)
    {
        var token = app.Token().With("cnf", JsonNode.Parse(cnf)).Build();

        var response = await app.Client().GetWithTokenAsync("/api/private", token);

        await Problem.AssertInvalidTokenAsync(response, TokenFailure.UnsupportedBinding);
    }

    [Fact]
    public async Task Mtls_bound_token_stays_refused_when_sent_again()
    {
        var token = app.Token().With("cnf", new JsonObject { ["x5t#S256"] = "bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2" }).Build();
        var client = app.Client();

        await Problem.AssertInvalidTokenAsync(await client.GetWithTokenAsync("/api/private", token), TokenFailure.UnsupportedBinding);
        await Problem.AssertInvalidTokenAsync(await client.GetWithTokenAsync("/api/private", token), TokenFailure.UnsupportedBinding);
    }

    [Fact]
    public async Task Token_without_cnf_is_a_bearer_token()
    {
        var response = await app.Client().GetWithTokenAsync("/api/private", app.Token().Build());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
