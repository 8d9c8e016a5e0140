using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;
using MySecureApi.Infrastructure.Auth.Tokens;
using MySecureApi.Tests.Fixtures;

namespace MySecureApi.Tests.Auth;

/// <summary>
/// The two tokens clients most often send by mistake get a description that says what they are (fixed texts), and
/// the log tells the operator what the client should do; an ordinary access token is never taken for either.
/// </summary>
public sealed class TokenKindTests(AppFixture app)
{
    private static string B64(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));

    /// <summary>What Auth0 returns when the client asks for no audience: a JWE with direct encryption and no key segment.</summary>
    private static string Auth0Jwe() =>
        $"{B64($$"""{"alg":"dir","enc":"A256GCM","iss":"{{TestIssuer.Issuer}}"}""")}..{Base64UrlEncoder.Encode(new byte[12])}.{Base64UrlEncoder.Encode(new byte[300])}.{Base64UrlEncoder.Encode(new byte[16])}";

    public static TheoryData<string, string> Opaque => new()
    {
        { "Auth0 JWE (alg dir, empty key segment)", Auth0Jwe() },
        { "JWE with a wrapped key", $"{B64("""{"alg":"RSA-OAEP-256","enc":"A128CBC-HS256","kid":"test-key-1"}""")}.{Base64UrlEncoder.Encode(new byte[256])}.AAAA.AAAA.AAAA" },
        { "opaque, 32 characters (Auth0's older shape)", "Xy4GjK2mVb7QpLw9ZtR3NcHs8DfE1uYa" },
        { "opaque, base64 with padding", Convert.ToBase64String(new byte[40]) },
    };

    [Theory]
    [MemberData(nameof(Opaque))]
    public async Task An_encrypted_or_opaque_token_is_named(string _, string token) =>
        await Problem.AssertInvalidTokenAsync(await app.Client().GetPrivateAsync(token), TokenFailure.EncryptedOrOpaque);

    [Theory]
    [InlineData("....")]
    [InlineData("a.b.c.d.e")]
    public async Task Five_parts_without_an_encryption_header_are_malformed(string token) =>
        await Problem.AssertInvalidTokenAsync(await app.Client().GetPrivateAsync(token), TokenFailure.Malformed);

    /// <summary>An ID token as Auth0 issues it: RS256 by the same tenant key, <c>aud</c> = the client, <c>nonce</c>, <c>at_hash</c>.</summary>
    private TokenBuilder IdToken() => app.Token()
        .With("aud", TokenBuilder.ClientId).Without("scope")
        .With("nonce", "n-0S6_WzA2Mj").With("at_hash", "HK6E_P6Dh8Y93mRNtsDB1Q").With("name", "Jane");

    public static TheoryData<string> IdTokenShapes => new() { "as issued", "nonce only", "at_hash only", "aud is azp only" };

    [Theory]
    [MemberData(nameof(IdTokenShapes))]
    public async Task An_id_token_is_named(string shape)
    {
        var token = shape switch
        {
            "nonce only" => IdToken().Without("at_hash"),
            "at_hash only" => IdToken().Without("nonce"),
            "aud is azp only" => IdToken().Without("nonce").Without("at_hash").With("aud", new System.Text.Json.Nodes.JsonArray(TokenBuilder.ClientId)),
            _ => IdToken(),
        };

        await Problem.AssertInvalidTokenAsync(await app.Client().GetPrivateAsync(token.Build()), TokenFailure.IdToken);
    }

    [Fact]
    public async Task An_access_token_with_azp_and_an_api_audience_is_an_access_token()
    {
        var token = app.Token().With("aud", TokenBuilder.Audience).Build();

        Assert.Equal(HttpStatusCode.OK, (await app.Client().GetPrivateAsync(token)).StatusCode);
    }

    [Fact]
    public async Task The_log_tells_the_operator_what_the_client_should_do_without_the_token()
    {
        var logs = new LogCollector();
        await using var host = app.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddLogging(l => l.AddProvider(logs))));
        var jwe = Auth0Jwe();
        var id = IdToken().Build();

        await Problem.AssertInvalidTokenAsync(await host.CreateClient().GetPrivateAsync(jwe), TokenFailure.EncryptedOrOpaque);
        await Problem.AssertInvalidTokenAsync(await host.CreateClient().GetPrivateAsync(id), TokenFailure.IdToken);

        var lines = logs.Entries.Where(e => e.Category == typeof(Auth0TokenHandler).FullName).ToList();
        Assert.Equal(2, lines.Count);
        Assert.All(lines, l => Assert.Equal(LogLevel.Information, l.Level));
        Assert.Contains(lines, l => l.Message.Contains(TokenFailure.EncryptedOrOpaque, StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Message.Contains(TokenFailure.IdToken, StringComparison.Ordinal));
        Assert.All(lines, l => Assert.Contains($"request the API's audience ({TokenBuilder.Audience}) when getting the token", l.Message, StringComparison.Ordinal));
        Assert.All(logs.Entries, l => Assert.DoesNotContain(jwe[..40], l.Message, StringComparison.Ordinal));
        Assert.All(logs.Entries, l => Assert.DoesNotContain(id.Split('.')[1][..40], l.Message, StringComparison.Ordinal));
    }
}
