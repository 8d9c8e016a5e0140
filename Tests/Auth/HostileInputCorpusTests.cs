using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.IdentityModel.Tokens;
using MySecureApi.Infrastructure.Auth;
using MySecureApi.Tests.Infrastructure;

namespace MySecureApi.Tests.Auth;

/// <summary>
/// A corpus of hostile and malformed credentials, each expecting the contract's status and <c>error</c>, never a 5xx,
/// and a challenge built only from the fixed vocabulary (nothing from the request). Sent to the app on real Kestrel
/// over a raw loopback socket, so Kestrel's own limits apply as they would in production.
/// </summary>
public sealed partial class HostileInputCorpusTests(AppFixture app)
{
    /// <summary>One case: how to build its header lines from the tenant's key, and what the API must answer.</summary>
    private sealed record Case(Func<AppFixture, string[]> Headers, int Status, string? Error);

    private static string Bearer(string token) => $"Authorization: Bearer {token}";

    private static Case Rejected(Func<AppFixture, string> token) => new(a => [Bearer(token(a))], 401, "invalid_token");

    private static Case Accepted(Func<AppFixture, string> token) => new(a => [Bearer(token(a))], 200, null);

    private static string B64(string text) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(text));

    private static string Signed(AppFixture a, string header, string payload)
    {
        var input = $"{B64(header)}.{B64(payload)}";
        return $"{input}.{Base64UrlEncoder.Encode(a.Issuer.Key.Rsa.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))}";
    }

    private static string Payload(AppFixture a) => a.Token().Payload.ToJsonString();

    private static string Header(AppFixture a) => a.Token().Header.ToJsonString();

    private static readonly SigningKey Attacker = new("attacker-key");

    private static readonly Dictionary<string, Case> Cases = BuildCases();

    private static Dictionary<string, Case> BuildCases()
    {
        var cases = new Dictionary<string, Case>
        {
            ["alg none"] = Rejected(a => a.Token().Unsigned("none").Build()),
            ["alg None"] = Rejected(a => a.Token().Unsigned("None").Build()),
            ["alg NONE"] = Rejected(a => a.Token().Unsigned("NONE").Build()),
            ["alg empty string"] = Rejected(a => a.Token().Unsigned("").Build()),
            ["RS256 with an empty signature"] = Rejected(a => a.Token().SigningInput + "."),
            ["signature segment missing"] = Rejected(a => a.Token().SigningInput),
            ["signature bit-flipped"] = Rejected(a => FlipLastSignatureBit(a.Token().Build())),
            ["key swapped under the legitimate kid"] = Rejected(a => a.Token().SignedWith(a.Issuer.UnpublishedKey, keepKid: true).Build()),
            ["HS256 with the public key as SPKI DER"] = Rejected(a => a.Token().Hs256With(a.Issuer.Key.Rsa.ExportSubjectPublicKeyInfo()).Build()),
            ["HS256 with the public key as PKCS#1 DER"] = Rejected(a => a.Token().Hs256With(a.Issuer.Key.Rsa.ExportRSAPublicKey()).Build()),
            ["HS256 with the public key as PEM"] = Rejected(a => a.Token().Hs256With(Encoding.ASCII.GetBytes(a.Issuer.Key.Rsa.ExportSubjectPublicKeyInfoPem())).Build()),
            ["HS256 with the public key as JWK JSON"] = Rejected(a => a.Token().Hs256With(Encoding.UTF8.GetBytes(a.Issuer.Key.ToJwk().ToJsonString())).Build()),
            ["HS256 with the modulus"] = Rejected(a => a.Token().Hs256With(a.Issuer.Key.Rsa.ExportParameters(false).Modulus!).Build()),
            ["kid path traversal"] = Rejected(a => a.Token().WithHeader("kid", "../../../../etc/passwd").Build()),
            ["kid SQL injection"] = Rejected(a => a.Token().WithHeader("kid", "' OR '1'='1' --").Build()),
            ["kid with NUL"] = Rejected(a => a.Token().WithHeader("kid", "test-key-1\u0000").Build()),
            ["kid with CRLF"] = Rejected(a => a.Token().WithHeader("kid", "x\r\nX-Injected: 1").Build()),
            ["kid as a number"] = Rejected(a => a.Token().WithHeader("kid", 1).Build()),
            ["kid of 10 000 characters"] = Rejected(a => a.Token().WithHeader("kid", new string('k', 10_000)).Build()),
            ["jku to an attacker's key set"] = Rejected(a => a.Token().SignedWith(Attacker).WithHeader("jku", "https://evil.example/jwks.json").Build()),
            ["x5u to an attacker's certificate"] = Rejected(a => a.Token().SignedWith(Attacker).WithHeader("x5u", "https://evil.example/cert.pem").Build()),
            ["embedded jwk of the signing attacker"] = Rejected(a => a.Token().SignedWith(Attacker).WithHeader("jwk", Attacker.ToJwk()).Build()),
            ["embedded jwk under the legitimate kid"] = Rejected(a => a.Token().SignedWith(Attacker).WithHeader("kid", "test-key-1").WithHeader("jwk", Attacker.ToJwk()).Build()),
            ["embedded x5c"] = Rejected(a => a.Token().SignedWith(Attacker).WithHeader("x5c", new JsonArray(Convert.ToBase64String(Attacker.Rsa.ExportSubjectPublicKeyInfo()))).Build()),
            ["crit with a registered name"] = Rejected(a => a.Token().WithHeader("crit", new JsonArray("exp")).Build()),
            ["crit with an extension"] = Rejected(a => a.Token().WithHeader("b64", false).WithHeader("crit", new JsonArray("b64")).Build()),
            ["zip on a JWS"] = Rejected(a => a.Token().WithHeader("zip", "DEF").Build()),
            ["JWE-shaped, five segments"] = Rejected(a => $"{B64("""{"alg":"RSA-OAEP","enc":"A256GCM","kid":"test-key-1"}""")}.AAAA.AAAA.AAAA.AAAA"),
            ["invalid base64url in the header"] = Rejected(a => "eyJ$$$.eyJzdWIiOiJ4In0.c2ln"),
            ["invalid base64url in the payload"] = Rejected(a => $"{B64(Header(a))}.%%%.c2ln"),
            ["padding in base64url"] = Rejected(a => $"{B64(Header(a))}==.{B64(Payload(a))}.c2ln"),
            ["one segment"] = Rejected(a => B64(Header(a))),
            ["two segments"] = Rejected(a => $"{B64(Header(a))}.{B64(Payload(a))}"),
            ["four segments"] = Rejected(a => $"{a.Token().Build()}.AAAA"),
            ["six segments"] = Rejected(a => $"{a.Token().Build()}.AAAA.AAAA.AAAA"),
            ["header is not JSON"] = Rejected(a => $"{B64("not json")}.{B64(Payload(a))}.c2ln"),
            ["payload is not JSON"] = Rejected(a => Signed(a, Header(a), "not json")),
            ["payload is an array"] = Rejected(a => Signed(a, Header(a), "[1,2,3]")),
            ["header is an array"] = Rejected(a => $"{B64("[\"RS256\"]")}.{B64(Payload(a))}.c2ln"),
            ["duplicate sub claim"] = Rejected(a => Signed(a, Header(a), Payload(a).TrimEnd('}') + ",\"sub\":\"auth0|admin\"}")),
            ["duplicate alg header"] = Rejected(a => Signed(a, Header(a).TrimEnd('}') + ",\"alg\":\"none\"}", Payload(a))),
            ["nesting past the JSON depth limit"] = Rejected(a => Signed(a, Header(a), Payload(a).TrimEnd('}') + ",\"deep\":" + new string('[', 300) + new string(']', 300) + "}")),
            ["iss with CR/LF"] = Rejected(a => a.Token().With("iss", "https://tenant.test.local/\r\nX-Injected: 1").Build()),
            ["iss with a quote"] = Rejected(a => a.Token().With("iss", "https://tenant\".test.local/").Build()),
            ["iss with non-ASCII"] = Rejected(a => a.Token().With("iss", "https://tenänt.test.local/✓").Build()),
            ["iss of 8 KB"] = Rejected(a => a.Token().With("iss", new string('i', 8192)).Build()),
            ["a 20 KB token"] = Accepted(a => a.Token().With("padding", new string('p', 20_000)).Build()),
            ["a 200 KB token"] = new(a => [Bearer(a.Token().With("padding", new string('p', 200_000)).Build())], 431, null),
            ["two Authorization headers"] = new(a => [Bearer(a.Token().Build()), Bearer(a.Token().Build())], 400, "invalid_request"),
            ["three Authorization headers"] = new(a => [Bearer("a"), "Authorization: Basic Yjpj", Bearer("c")], 400, "invalid_request"),
            ["Bearer with a tab"] = new(a => [$"Authorization: Bearer\t{a.Token().Build()}"], 400, "invalid_request"),
            ["Bearer without a token"] = new(_ => ["Authorization: Bearer"], 400, "invalid_request"),
            ["junk after the token"] = new(a => [$"Authorization: Bearer {a.Token().Build()} junk"], 400, "invalid_request"),
            ["token of non-token68 characters"] = Rejected(_ => "\"<script>alert(1)</script>\""),
        };

        JsonNode?[] values = [null, true, "str", 0, new JsonArray()];
        foreach (var claim in new[] { "exp", "nbf", "iat", "iss", "aud", "sub" })
            foreach (var value in values)
            {
                var accepted = (claim is "nbf" or "iat" && value is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number)
                               || (claim == "sub" && value is JsonValue s && s.GetValueKind() == System.Text.Json.JsonValueKind.String);
                Func<AppFixture, string> token = a => a.Token().With(claim, value?.DeepClone()).Build();
                cases[$"{claim} = {value?.ToJsonString() ?? "null"}"] = accepted ? Accepted(token) : Rejected(token);
            }
        return cases;
    }

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    private static readonly Regex FixedChallenge = ChallengePattern();

    [GeneratedRegex("""^Bearer realm="api"(, error="(invalid_request|invalid_token)", error_description="(?<d>[A-Za-z ]+)")?$""")]
    private static partial Regex ChallengePattern();

    private static readonly HashSet<string> Vocabulary = typeof(TokenFailure).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToHashSet();

    [Fact]
    public void Corpus_has_at_least_60_inputs() => Assert.True(Cases.Count >= 60, $"{Cases.Count} cases");

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Hostile_input_gets_the_contract_answer(string name)
    {
        var @case = Cases[name];
        await using var host = app.With("Production");
        var server = RawHttp.StartOnLoopback(host);

        var answer = await RawHttp.SendAsync(server, "GET", "/api/private", @case.Headers(app));

        Assert.Equal(@case.Status, answer.Status);
        if (@case.Error is not null)
        {
            Assert.Equal("application/problem+json", answer.Header("Content-Type"));
            Assert.Contains($"\"error\":\"{@case.Error}\"", answer.Body);
            var challenge = answer.Header("WWW-Authenticate");
            Assert.NotNull(challenge);
            var match = FixedChallenge.Match(challenge);
            Assert.True(match.Success, $"challenge outside the fixed form: {challenge}");
            Assert.Contains(match.Groups["d"].Value, Vocabulary);
        }
        Assert.DoesNotContain("Injected", answer.Body);
        Assert.Null(answer.Header("X-Injected"));
    }

    private static string FlipLastSignatureBit(string token)
    {
        var parts = token.Split('.');
        var signature = Base64UrlEncoder.DecodeBytes(parts[2]);
        signature[^1] ^= 1;
        return $"{parts[0]}.{parts[1]}.{Base64UrlEncoder.Encode(signature)}";
    }
}
