using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using MySecureApi.Tests.Fixtures;
using MySecureApi.Infrastructure.Auth.Tokens;

using GetPrivate = MySecureApi.Features.Private.GetPrivate;

namespace MySecureApi.Tests.Auth;

/// <summary>Every rule of docs/http-api.md's "Token validation" section, each as its own case, on <c>/api/private</c>.</summary>
public sealed class TokenValidationTests(AppFixture app)
{
    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    private Task<HttpResponseMessage> GetAsync(string token) => app.GetAsync<GetPrivate.Endpoint, GetPrivate.Response>(token);

    private async Task AssertRejectedAsync(TokenBuilder token, string description) =>
        await Problem.AssertInvalidTokenAsync(await GetAsync(token.Build()), description);

    private async Task AssertAcceptedAsync(TokenBuilder token) =>
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(token.Build())).StatusCode);

    [Fact]
    public async Task Auth0_shaped_token_is_accepted() => await AssertAcceptedAsync(app.Token());

    [Theory]
    [InlineData("none")]
    [InlineData("None")]
    [InlineData("NONE")]
    public async Task Alg_none_is_rejected(string alg) =>
        await AssertRejectedAsync(app.Token().Unsigned(alg), TokenFailure.AlgorithmNotAllowed);

    public static TheoryData<string> PublicKeyForms => new() { "spki-der", "pkcs1-der", "pem", "jwk", "modulus" };

    [Theory]
    [MemberData(nameof(PublicKeyForms))]
    public async Task Hs256_signed_with_the_issuers_public_key_is_rejected(string form)
    {
        var rsa = app.Issuer.Key.Rsa;
        var secret = form switch
        {
            "spki-der" => rsa.ExportSubjectPublicKeyInfo(),
            "pkcs1-der" => rsa.ExportRSAPublicKey(),
            "pem" => Encoding.ASCII.GetBytes(rsa.ExportSubjectPublicKeyInfoPem()),
            "jwk" => Encoding.UTF8.GetBytes(app.Issuer.Key.ToJwk().ToJsonString()),
            _ => rsa.ExportParameters(false).Modulus!,
        };

        await AssertRejectedAsync(app.Token().Hs256With(secret), TokenFailure.AlgorithmNotAllowed);
    }

    [Theory]
    [InlineData("PS256")]
    [InlineData("RS384")]
    [InlineData("RS512")]
    public async Task Other_rsa_algorithms_with_the_issuers_key_are_rejected(string alg) =>
        await AssertRejectedAsync(app.Token().Algorithm(alg), TokenFailure.AlgorithmNotAllowed);

    [Fact]
    public async Task Unknown_kid_is_rejected_even_when_signed_by_the_published_key() =>
        await AssertRejectedAsync(app.Token().WithHeader("kid", "no-such-key"), TokenFailure.UnknownKey);

    [Fact]
    public async Task Missing_kid_is_rejected() =>
        await AssertRejectedAsync(app.Token().WithoutHeader("kid"), TokenFailure.UnknownKey);

    [Fact]
    public async Task Unpublished_key_under_its_own_kid_is_rejected() =>
        await AssertRejectedAsync(app.Token().SignedWith(app.Issuer.UnpublishedKey), TokenFailure.UnknownKey);

    [Fact]
    public async Task Audience_as_a_single_string_is_accepted() =>
        await AssertAcceptedAsync(app.Token().With("aud", TokenBuilder.Audience));

    [Theory]
    [InlineData("https://api.mysecureapi.test/")]
    [InlineData("https://API.mysecureapi.test")]
    [InlineData("https://api.mysecureapi.test.evil")]
    [InlineData("")]
    public async Task Wrong_audience_is_rejected(string audience) =>
        await AssertRejectedAsync(app.Token().With("aud", new JsonArray(audience, $"{TestIssuer.Issuer}userinfo")), TokenFailure.InvalidAudience);

    [Fact]
    public async Task Missing_audience_is_rejected() =>
        await AssertRejectedAsync(app.Token().Without("aud"), TokenFailure.InvalidAudience);

    [Theory]
    [InlineData("https://tenant.test.local")]
    [InlineData("https://tenant.test.local//")]
    [InlineData("http://tenant.test.local/")]
    [InlineData("https://TENANT.test.local/")]
    [InlineData("https://evil.example.com/")]
    public async Task Wrong_issuer_is_rejected(string issuer) =>
        await AssertRejectedAsync(app.Token().With("iss", issuer), TokenFailure.InvalidIssuer);

    [Fact]
    public async Task Missing_issuer_is_rejected() =>
        await AssertRejectedAsync(app.Token().Without("iss"), TokenFailure.InvalidIssuer);

    [Fact]
    public async Task Expired_beyond_the_tolerance_is_rejected() =>
        await AssertRejectedAsync(app.Token().With("exp", Now - 45), TokenFailure.Expired);

    [Fact]
    public async Task Expired_within_the_tolerance_is_accepted() =>
        await AssertAcceptedAsync(app.Token().With("exp", Now - 10));

    [Fact]
    public async Task Nbf_beyond_the_tolerance_is_rejected() =>
        await AssertRejectedAsync(app.Token().With("nbf", Now + 60), TokenFailure.NotYetValid);

    [Fact]
    public async Task Nbf_within_the_tolerance_is_accepted() =>
        await AssertAcceptedAsync(app.Token().With("nbf", Now + 10));

    [Fact]
    public async Task Iat_beyond_the_tolerance_is_rejected() =>
        await AssertRejectedAsync(app.Token().With("iat", Now + 60), TokenFailure.IssuedInFuture);

    [Fact]
    public async Task Iat_within_the_tolerance_is_accepted() =>
        await AssertAcceptedAsync(app.Token().With("iat", Now + 10));

    [Fact]
    public async Task Missing_exp_is_rejected() =>
        await AssertRejectedAsync(app.Token().Without("exp"), TokenFailure.MissingClaim);

    [Theory]
    [InlineData("exp", 600)]
    [InlineData("nbf", -600)]
    [InlineData("iat", -600)]
    public async Task NumericDate_given_as_a_string_is_rejected(string claim, int offset) =>
        await AssertRejectedAsync(app.Token().With(claim, (Now + offset).ToString(System.Globalization.CultureInfo.InvariantCulture)), TokenFailure.Malformed);

    [Fact]
    public async Task Fractional_NumericDate_is_accepted() =>
        await AssertAcceptedAsync(app.Token().With("exp", Now + 600.5));

    [Fact]
    public async Task Missing_sub_is_rejected() =>
        await AssertRejectedAsync(app.Token().Without("sub"), TokenFailure.MissingClaim);

    [Fact]
    public async Task Empty_sub_is_rejected() =>
        await AssertRejectedAsync(app.Token().With("sub", ""), TokenFailure.MissingClaim);

    [Fact]
    public async Task Numeric_sub_is_rejected() =>
        await AssertRejectedAsync(app.Token().With("sub", 42), TokenFailure.MissingClaim);

    [Fact]
    public async Task Unknown_crit_header_is_rejected() =>
        await AssertRejectedAsync(app.Token().WithHeader("exp-ext", 1).WithHeader("crit", new JsonArray("exp-ext")), TokenFailure.UnsupportedCritical);

    [Theory]
    [InlineData("JWT")]
    [InlineData("jwt")]
    [InlineData("at+jwt")]
    [InlineData("AT+JWT")]
    [InlineData("application/at+jwt")]
    [InlineData("Application/AT+JWT")]
    [InlineData(null)]
    public async Task Accepted_typ_values(string? typ) =>
        await AssertAcceptedAsync(typ is null ? app.Token().WithoutHeader("typ") : app.Token().WithHeader("typ", typ));

    [Theory]
    [InlineData("dpop+jwt")]
    [InlineData("JOSE")]
    [InlineData("id_token")]
    [InlineData("at+jwt ")]
    [InlineData("")]
    public async Task Other_typ_values_are_rejected(string typ) =>
        await AssertRejectedAsync(app.Token().WithHeader("typ", typ), TokenFailure.TypeNotAllowed);

    [Fact]
    public async Task Tampered_payload_is_rejected()
    {
        var genuine = app.Token().Build().Split('.');
        var forged = app.Token().With("sub", "auth0|admin");
        await Problem.AssertInvalidTokenAsync(
            await GetAsync($"{TokenBuilder.Encode(forged.Header)}.{TokenBuilder.Encode(forged.Payload)}.{genuine[2]}"), TokenFailure.InvalidSignature);
    }

    [Fact]
    public async Task Stripped_signature_is_rejected() =>
        await Problem.AssertInvalidTokenAsync(await GetAsync(app.Token().SigningInput + "."), TokenFailure.InvalidSignature);

    [Fact]
    public async Task Bit_flipped_signature_is_rejected()
    {
        var parts = app.Token().Build().Split('.');
        var signature = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.DecodeBytes(parts[2]);
        signature[^1] ^= 1;
        var token = $"{parts[0]}.{parts[1]}.{Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(signature)}";

        await Problem.AssertInvalidTokenAsync(await GetAsync(token), TokenFailure.InvalidSignature);
    }

    [Theory]
    [InlineData("a.b")]
    [InlineData("a.b.c")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.e30")]
    [InlineData("....")]
    public async Task Garbage_and_wrong_segment_counts_are_rejected(string token) =>
        await Problem.AssertInvalidTokenAsync(await GetAsync(token), TokenFailure.Malformed);

    [Fact]
    public async Task Rejections_never_reflect_token_content()
    {
        var token = app.Token().With("iss", "https://evil\"/ injected=\"x").WithHeader("kid", "kid-\"-injected");

        var response = await GetAsync(token.Build());

        await Problem.AssertInvalidTokenAsync(response, TokenFailure.InvalidIssuer);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain("injected", body);
        Assert.DoesNotContain("injected", Problem.Challenge(response));
    }

    [Theory]
    [InlineData("https://tenant.test.local/\r\nX-Injected: 1")]
    [InlineData("https://tenant.test.local/\n")]
    [InlineData("https://tenänt.test.local/ ✓ 日本")]
    [InlineData("\"")]
    public async Task Forged_issuer_with_control_or_non_ascii_text_gets_a_clean_401(string issuer)
    {
        var response = await GetAsync(app.Token().With("iss", issuer).Build());

        await Problem.AssertInvalidTokenAsync(response, TokenFailure.InvalidIssuer);
        Assert.False(response.Headers.Contains("X-Injected"));
    }

    [Fact]
    public async Task Eight_kilobyte_issuer_gets_a_clean_401() =>
        await AssertRejectedAsync(app.Token().With("iss", new string('a', 8192)), TokenFailure.InvalidIssuer);
}
