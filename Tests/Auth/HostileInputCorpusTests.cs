using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;
using MySecureApi.Infrastructure.Auth.DPoP;
using MySecureApi.Infrastructure.Auth.Mtls;
using MySecureApi.Tests.Fixtures;
using MySecureApi.Infrastructure.Auth.Tokens;

namespace MySecureApi.Tests.Auth;

/// <summary>
/// A corpus of hostile and malformed credentials, each expecting its documented status and <c>error</c>, never a 5xx,
/// and a challenge built only from the fixed vocabulary (nothing from the request). Sent to the app on real Kestrel
/// over a raw loopback socket, so Kestrel's own limits apply as they would in production.
/// </summary>
public sealed partial class HostileInputCorpusTests(AppFixture app)
{
    /// <summary>
    /// One case: the request as sent on the wire (built from the tenant's key), the host's extra settings, and what the
    /// API must answer — status, <c>error</c> and the fixed <c>error_description</c>.
    /// </summary>
    private sealed record Case(Func<AppFixture, string> Request, int Status, string? Error, string? Description, params (string, string?)[] Settings);

    private static string Bearer(string token) => $"Authorization: Bearer {token}";

    private static string Http11(string method, string path, params string[] headerLines) =>
        $"{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n{string.Concat(headerLines.Select(l => l + "\r\n"))}\r\n";

    private static Func<AppFixture, string> Get(Func<AppFixture, string[]> headers) => a => Http11("GET", "/api/private", headers(a));

    private static Case Rejected(Func<AppFixture, string> token, string description) =>
        new(Get(a => [Bearer(token(a))]), 401, "invalid_token", description);

    private static Case Accepted(Func<AppFixture, string> token) => new(Get(a => [Bearer(token(a))]), 200, null, null);

    private static Case Malformed(Func<AppFixture, string[]> headers, string description) => new(Get(headers), 400, "invalid_request", description);

    private static Case BadProof(Func<AppFixture, string> request, string description, params (string, string?)[] settings) =>
        new(request, 400, DPoPFailure.InvalidProof, description, settings);

    private static string B64(string text) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(text));

    private static string Signed(AppFixture a, string header, string payload)
    {
        var input = $"{B64(header)}.{B64(payload)}";
        return $"{input}.{Base64UrlEncoder.Encode(a.Issuer.Key.Rsa.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))}";
    }

    private static string Payload(AppFixture a) => a.Token().Payload.ToJsonString();

    private static string Header(AppFixture a) => a.Token().Header.ToJsonString();

    private static readonly SigningKey Attacker = new("attacker-key");

    private static readonly DPoPKey Client = DPoPKey.Es256();

    private static string BoundToken(AppFixture a, string jkt) => a.Token().With("cnf", new JsonObject { ["jkt"] = jkt }).Build();

    /// <summary>A DPoP request whose proof <paramref name="edit"/> spoils; <c>Host: localhost</c>, so <c>htu</c> is <c>http://localhost/api/private</c>.</summary>
    private static Func<AppFixture, string> DPoP(Func<DPoPProofBuilder, DPoPProofBuilder> edit) => a =>
    {
        var token = BoundToken(a, Client.Thumbprint);
        var proof = edit(new DPoPProofBuilder(Client, "GET", "http://localhost/api/private", token)).Build();
        return Http11("GET", "/api/private", $"Authorization: DPoP {token}", $"DPoP: {proof}");
    };

    /// <summary>A proof whose key is an RSA-8192 modulus bound in the token (its signature need not be valid: the size is refused first).</summary>
    private static string Rsa8192Proof(AppFixture a)
    {
        var modulus = RandomNumberGenerator.GetBytes(1024);
        modulus[0] |= 0x80;
        modulus[^1] |= 1;
        var jwk = new JsonObject { ["kty"] = "RSA", ["n"] = Base64UrlEncoder.Encode(modulus), ["e"] = "AQAB" };
        var token = BoundToken(a, DPoPProofValidator.Thumbprint(new JsonWebKey(jwk.ToJsonString())));
        var proof = new DPoPProofBuilder(Client, "GET", "http://localhost/api/private", token).WithHeader("alg", "RS256").WithHeader("jwk", jwk).Build();
        return Http11("GET", "/api/private", $"Authorization: DPoP {token}", $"DPoP: {proof}");
    }

    /// <summary>HTTP/1.0 allows a request without <c>Host</c>: the proof's <c>htu</c> can then match nothing.</summary>
    private static string WithoutHost(AppFixture a)
    {
        var token = BoundToken(a, Client.Thumbprint);
        var proof = new DPoPProofBuilder(Client, "GET", "http://localhost/api/private", token).Build();
        return $"GET /api/private HTTP/1.0\r\nAuthorization: DPoP {token}\r\nDPoP: {proof}\r\n\r\n";
    }

    private static string FormFlood(AppFixture a)
    {
        var body = string.Join('&', Enumerable.Range(0, 1_100).Select(i => $"f{i}=x").Append($"access_token={a.Token().Build()}"));
        return $"POST {FormEchoEndpoint.Route} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\n"
               + $"Content-Length: {body.Length}\r\n\r\n{body}";
    }

    /// <summary>Certificate-bound tokens on, and the loopback peer (the test's socket) a trusted proxy.</summary>
    private static readonly (string, string?)[] MtlsBehindProxy =
        [("AUTH0_MTLS_MODE", "Allowed"), ("ForwardedHeaders:Enabled", "true"), ("ForwardedHeaders:KnownProxies:0", "127.0.0.1")];

    private static readonly TestCertificates Certificates = new();

    private static readonly System.Security.Cryptography.X509Certificates.X509Certificate2 ClientCertificate = Certificates.SelfSignedClient();

    private static string CertificateBound(AppFixture a, JsonNode? thumbprint) => a.Token().With("cnf", new JsonObject { ["x5t#S256"] = thumbprint }).Build();

    /// <summary>A token bound to <see cref="ClientCertificate"/>, with a <c>Client-Cert</c> header of the given value.</summary>
    private static Case Forwarded(string header, string description, params (string, string?)[] settings) =>
        new(Get(a => [Bearer(CertificateBound(a, TestCertificates.Thumbprint(ClientCertificate))), $"Client-Cert: {header}"]), 401, "invalid_token", description,
            settings.Length > 0 ? settings : MtlsBehindProxy);

    private static Case RejectedWithMtls(Func<AppFixture, string> token, string description) =>
        new(Get(a => [Bearer(token(a))]), 401, "invalid_token", description, MtlsBehindProxy);

    private static readonly Dictionary<string, Case> Cases = BuildCases();

    private static Dictionary<string, Case> BuildCases()
    {
        var cases = new Dictionary<string, Case>
        {
            ["alg none"] = Rejected(a => a.Token().Unsigned("none").Build(), TokenFailure.AlgorithmNotAllowed),
            ["alg None"] = Rejected(a => a.Token().Unsigned("None").Build(), TokenFailure.AlgorithmNotAllowed),
            ["alg NONE"] = Rejected(a => a.Token().Unsigned("NONE").Build(), TokenFailure.AlgorithmNotAllowed),
            ["alg empty string"] = Rejected(a => a.Token().Unsigned("").Build(), TokenFailure.AlgorithmNotAllowed),
            ["RS256 with an empty signature"] = Rejected(a => a.Token().SigningInput + ".", TokenFailure.InvalidSignature),
            ["signature segment missing"] = Rejected(a => a.Token().SigningInput, TokenFailure.Malformed),
            ["signature bit-flipped"] = Rejected(a => FlipLastSignatureBit(a.Token().Build()), TokenFailure.InvalidSignature),
            ["key swapped under the legitimate kid"] = Rejected(a => a.Token().SignedWith(a.Issuer.UnpublishedKey, keepKid: true).Build(), TokenFailure.InvalidSignature),
            ["HS256 with the public key as SPKI DER"] = Rejected(a => a.Token().Hs256With(a.Issuer.Key.Rsa.ExportSubjectPublicKeyInfo()).Build(), TokenFailure.AlgorithmNotAllowed),
            ["HS256 with the public key as PKCS#1 DER"] = Rejected(a => a.Token().Hs256With(a.Issuer.Key.Rsa.ExportRSAPublicKey()).Build(), TokenFailure.AlgorithmNotAllowed),
            ["HS256 with the public key as PEM"] = Rejected(a => a.Token().Hs256With(Encoding.ASCII.GetBytes(a.Issuer.Key.Rsa.ExportSubjectPublicKeyInfoPem())).Build(), TokenFailure.AlgorithmNotAllowed),
            ["HS256 with the public key as JWK JSON"] = Rejected(a => a.Token().Hs256With(Encoding.UTF8.GetBytes(a.Issuer.Key.ToJwk().ToJsonString())).Build(), TokenFailure.AlgorithmNotAllowed),
            ["HS256 with the modulus"] = Rejected(a => a.Token().Hs256With(a.Issuer.Key.Rsa.ExportParameters(false).Modulus!).Build(), TokenFailure.AlgorithmNotAllowed),
            ["kid path traversal"] = Rejected(a => a.Token().WithHeader("kid", "../../../../etc/passwd").Build(), TokenFailure.UnknownKey),
            ["kid SQL injection"] = Rejected(a => a.Token().WithHeader("kid", "' OR '1'='1' --").Build(), TokenFailure.UnknownKey),
            ["kid with NUL"] = Rejected(a => a.Token().WithHeader("kid", "test-key-1\u0000").Build(), TokenFailure.UnknownKey),
            ["kid with CRLF"] = Rejected(a => a.Token().WithHeader("kid", "x\r\nX-Injected: 1").Build(), TokenFailure.UnknownKey),
            ["kid as a number"] = Rejected(a => a.Token().WithHeader("kid", 1).Build(), TokenFailure.Malformed),
            ["kid of 10 000 characters"] = Rejected(a => a.Token().WithHeader("kid", new string('k', 10_000)).Build(), TokenFailure.UnknownKey),
            ["jku to an attacker's key set"] = Rejected(a => a.Token().SignedWith(Attacker).WithHeader("jku", "https://evil.example/jwks.json").Build(), TokenFailure.UnknownKey),
            ["x5u to an attacker's certificate"] = Rejected(a => a.Token().SignedWith(Attacker).WithHeader("x5u", "https://evil.example/cert.pem").Build(), TokenFailure.UnknownKey),
            ["embedded jwk of the signing attacker"] = Rejected(a => a.Token().SignedWith(Attacker).WithHeader("jwk", Attacker.ToJwk()).Build(), TokenFailure.UnknownKey),
            ["embedded jwk under the legitimate kid"] = Rejected(a => a.Token().SignedWith(Attacker).WithHeader("kid", "test-key-1").WithHeader("jwk", Attacker.ToJwk()).Build(), TokenFailure.InvalidSignature),
            ["embedded x5c"] = Rejected(a => a.Token().SignedWith(Attacker).WithHeader("x5c", new JsonArray(Convert.ToBase64String(Attacker.Rsa.ExportSubjectPublicKeyInfo()))).Build(), TokenFailure.UnknownKey),
            ["crit with a registered name"] = Rejected(a => a.Token().WithHeader("crit", new JsonArray("exp")).Build(), TokenFailure.UnsupportedCritical),
            ["crit with an extension"] = Rejected(a => a.Token().WithHeader("b64", false).WithHeader("crit", new JsonArray("b64")).Build(), TokenFailure.UnsupportedCritical),
            ["zip on a JWS"] = Rejected(a => a.Token().WithHeader("zip", "DEF").Build(), TokenFailure.Malformed),
            ["JWE-shaped, five segments"] = Rejected(a => $"{B64("""{"alg":"RSA-OAEP","enc":"A256GCM","kid":"test-key-1"}""")}.AAAA.AAAA.AAAA.AAAA", TokenFailure.EncryptedOrOpaque),
            ["invalid base64url in the header"] = Rejected(a => "eyJ$$$.eyJzdWIiOiJ4In0.c2ln", TokenFailure.Malformed),
            ["invalid base64url in the payload"] = Rejected(a => $"{B64(Header(a))}.%%%.c2ln", TokenFailure.Malformed),
            ["padding in base64url"] = Rejected(a => $"{B64(Header(a))}==.{B64(Payload(a))}.c2ln", TokenFailure.InvalidSignature),
            ["one segment"] = Rejected(a => B64(Header(a)), TokenFailure.EncryptedOrOpaque),
            ["two segments"] = Rejected(a => $"{B64(Header(a))}.{B64(Payload(a))}", TokenFailure.Malformed),
            ["four segments"] = Rejected(a => $"{a.Token().Build()}.AAAA", TokenFailure.Malformed),
            ["six segments"] = Rejected(a => $"{a.Token().Build()}.AAAA.AAAA.AAAA", TokenFailure.Malformed),
            ["header is not JSON"] = Rejected(a => $"{B64("not json")}.{B64(Payload(a))}.c2ln", TokenFailure.Malformed),
            ["payload is not JSON"] = Rejected(a => Signed(a, Header(a), "not json"), TokenFailure.Malformed),
            ["payload is an array"] = Rejected(a => Signed(a, Header(a), "[1,2,3]"), TokenFailure.Malformed),
            ["header is an array"] = Rejected(a => $"{B64("[\"RS256\"]")}.{B64(Payload(a))}.c2ln", TokenFailure.Malformed),
            ["duplicate sub claim"] = Rejected(a => Signed(a, Header(a), Payload(a).TrimEnd('}') + ",\"sub\":\"auth0|admin\"}"), TokenFailure.Malformed),
            ["duplicate alg header"] = Rejected(a => Signed(a, Header(a).TrimEnd('}') + ",\"alg\":\"none\"}", Payload(a)), TokenFailure.AlgorithmNotAllowed),
            ["nesting past the JSON depth limit"] = Rejected(a => Signed(a, Header(a), Payload(a).TrimEnd('}') + ",\"deep\":" + new string('[', 300) + new string(']', 300) + "}"), TokenFailure.Malformed),
            ["iss with CR/LF"] = Rejected(a => a.Token().With("iss", "https://tenant.test.local/\r\nX-Injected: 1").Build(), TokenFailure.InvalidIssuer),
            ["iss with a quote"] = Rejected(a => a.Token().With("iss", "https://tenant\".test.local/").Build(), TokenFailure.InvalidIssuer),
            ["iss with non-ASCII"] = Rejected(a => a.Token().With("iss", "https://tenänt.test.local/✓").Build(), TokenFailure.InvalidIssuer),
            ["iss of 8 KB"] = Rejected(a => a.Token().With("iss", new string('i', 8192)).Build(), TokenFailure.InvalidIssuer),
            ["a 20 KB token"] = Accepted(a => a.Token().With("padding", new string('p', 20_000)).Build()),
            ["a 200 KB token"] = new(Get(a => [Bearer(a.Token().With("padding", new string('p', 200_000)).Build())]), 431, null, null),
            ["two Authorization headers"] = Malformed(a => [Bearer(a.Token().Build()), Bearer(a.Token().Build())], TokenFailure.MultipleHeaders),
            ["three Authorization headers"] = Malformed(_ => [Bearer("a"), "Authorization: Basic Yjpj", Bearer("c")], TokenFailure.MultipleHeaders),
            ["Bearer with a tab"] = Malformed(a => [$"Authorization: Bearer\t{a.Token().Build()}"], TokenFailure.MalformedHeader),
            ["Bearer without a token"] = Malformed(_ => ["Authorization: Bearer"], TokenFailure.NoToken),
            ["junk after the token"] = Malformed(a => [$"Authorization: Bearer {a.Token().Build()} junk"], TokenFailure.MalformedHeader),
            ["token of non-token68 characters"] = Rejected(_ => "\"<script>alert(1)</script>\"", TokenFailure.Malformed),
            ["token bound to an mTLS certificate (x5t#S256)"] = Rejected(a => a.Token().With("cnf", new JsonObject { ["x5t#S256"] = "bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2" }).Build(), TokenFailure.UnsupportedBinding),
            ["mTLS: x5t#S256 of 10 000 characters"] = RejectedWithMtls(a => CertificateBound(a, new string('x', 10_000)), MtlsFailure.MalformedThumbprint),
            ["mTLS: x5t#S256 with CR/LF"] = RejectedWithMtls(a => CertificateBound(a, "bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89j\r\nX-Injected: 1"), MtlsFailure.MalformedThumbprint),
            ["mTLS: x5t#S256 as an object"] = RejectedWithMtls(a => CertificateBound(a, new JsonObject { ["x5t#S256"] = "a" }), MtlsFailure.MalformedThumbprint),
            ["mTLS: x5t#S256 twice"] = RejectedWithMtls(a => Signed(a, Header(a), Payload(a).TrimEnd('}') + ",\"cnf\":{\"x5t#S256\":\"bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2\",\"x5t#S256\":\"bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2\"}}"), TokenFailure.UnsupportedBinding),
            ["mTLS: bound token without any certificate"] = RejectedWithMtls(a => CertificateBound(a, TestCertificates.Thumbprint(ClientCertificate)), MtlsFailure.NoCertificate),
            ["mTLS: Client-Cert of another certificate"] = Forwarded(TestCertificates.ClientCertHeader(Certificates.SelfSignedClient("other")), MtlsFailure.WrongCertificate),
            ["mTLS: Client-Cert from a peer that is not a trusted proxy"] = Forwarded(TestCertificates.ClientCertHeader(ClientCertificate), MtlsFailure.NoCertificate,
                ("AUTH0_MTLS_MODE", "Allowed"), ("ForwardedHeaders:Enabled", "true"), ("ForwardedHeaders:KnownProxies:0", "10.0.0.5")),
            ["mTLS: Client-Cert of 20 000 characters"] = Forwarded($":{new string('A', 20_000)}:", MtlsFailure.ForwardedCertificateTooLarge),
            ["mTLS: Client-Cert not a byte sequence"] = Forwarded(Convert.ToBase64String(ClientCertificate.RawData), MtlsFailure.MalformedForwardedCertificate),
            ["mTLS: Client-Cert with a script"] = Forwarded(":<script>alert(1)</script>:", MtlsFailure.MalformedForwardedCertificate),
            ["mTLS: Client-Cert of a DER that claims 2 GB"] = Forwarded($":{Convert.ToBase64String([0x30, 0x84, 0x7F, 0xFF, 0xFF, 0xFF, 0x00])}:", MtlsFailure.MalformedForwardedCertificate),
            ["mTLS: Client-Cert of a certificate with bytes after it"] = Forwarded($":{Convert.ToBase64String([.. ClientCertificate.RawData, 0x00])}:", MtlsFailure.MalformedForwardedCertificate),
            ["mTLS: escaped PEM of a private key"] = Forwarded(Uri.EscapeDataString("-----BEGIN PRIVATE KEY-----\nMAA=\n-----END PRIVATE KEY-----\n"), MtlsFailure.MalformedForwardedCertificate,
                [.. MtlsBehindProxy, ("Auth0:Mtls:CertificateHeaderFormat", "EscapedPem")]),
            ["mTLS: escaped PEM with broken escapes"] = Forwarded("%2D%2D%ZZ%%%", MtlsFailure.MalformedForwardedCertificate,
                [.. MtlsBehindProxy, ("Auth0:Mtls:CertificateHeaderFormat", "EscapedPem")]),
            ["DPoP without Host (HTTP/1.0)"] = BadProof(WithoutHost, DPoPFailure.WrongUri),
            ["DPoP proof with a 20 000-character jti"] = BadProof(DPoP(p => p.With("jti", new string('j', 20_000))), DPoPFailure.JtiTooLong),
            ["DPoP proof key of RSA-8192"] = BadProof(Rsa8192Proof, DPoPFailure.KeySize),
            ["DPoP proof iat of 1e300"] = BadProof(DPoP(p => p.With("iat", JsonNode.Parse("1e300"))), DPoPFailure.Malformed),
            ["DPoP proof iat of -1e300"] = BadProof(DPoP(p => p.With("iat", JsonNode.Parse("-1e300"))), DPoPFailure.Malformed),
            ["DPoP proof iat of 2^63"] = BadProof(DPoP(p => p.With("iat", JsonNode.Parse("9223372036854775808"))), DPoPFailure.Malformed),
            ["DPoP proof iat of 10^15 seconds"] = BadProof(DPoP(p => p.With("iat", 1_000_000_000_000_000L)), DPoPFailure.IssuedInFuture),
            ["DPoP proof iat of -10^15 seconds"] = BadProof(DPoP(p => p.With("iat", -1_000_000_000_000_000L)), DPoPFailure.TooOld),
            ["DPoP proof iat as a string"] = BadProof(DPoP(p => p.With("iat", "1700000000")), DPoPFailure.MissingClaim),
            ["DPoP proof jwk with a huge exponent"] = BadProof(DPoP(p => p.WithHeader("alg", "RS256").WithHeader("jwk", new JsonObject { ["kty"] = "RSA", ["n"] = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(256)), ["e"] = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(512)) })), DPoPFailure.KeySize),
            ["DPoP proof jwk with a number as kty"] = BadProof(DPoP(p => p.WithHeader("jwk", new JsonObject { ["kty"] = 1, ["crv"] = "P-256" })), DPoPFailure.BadKey),
            ["DPoP proof EC jwk without coordinates"] = BadProof(DPoP(p => p.WithHeader("jwk", new JsonObject { ["kty"] = "EC", ["crv"] = "P-256" })), DPoPFailure.BadKey),
            ["form body of 1 100 fields"] = new(FormFlood, 400, "invalid_request", TokenFailure.UnreadableBody, ("Auth0:AllowFormBodyToken", "true")),
        };

        JsonNode?[] values = [null, true, "str", 0, new JsonArray()];
        foreach (var claim in new[] { "exp", "nbf", "iat", "iss", "aud", "sub" })
            foreach (var value in values)
            {
                var accepted = (claim is "nbf" or "iat" && value is JsonValue v && v.GetValueKind() == JsonValueKind.Number)
                               || (claim == "sub" && value is JsonValue s && s.GetValueKind() == JsonValueKind.String);
                Func<AppFixture, string> token = a => a.Token().With(claim, value?.DeepClone()).Build();
                cases[$"{claim} = {value?.ToJsonString() ?? "null"}"] = accepted ? Accepted(token) : Rejected(token, ClaimFailure(claim, value));
            }
        return cases;
    }

    /// <summary>
    /// What a wrong value of a registered claim is called: a value of the claim's own JSON type (or null) fails its
    /// rule; a value of another type fails parsing (malformed), except where the rule reads it as absent.
    /// </summary>
    private static string ClaimFailure(string claim, JsonNode? value) => (claim, value?.GetValueKind() ?? JsonValueKind.Null) switch
    {
        ("exp", JsonValueKind.Number) => TokenFailure.Expired,
        ("iss", JsonValueKind.Null or JsonValueKind.String) => TokenFailure.InvalidIssuer,
        ("aud", JsonValueKind.Null or JsonValueKind.String or JsonValueKind.Array) => TokenFailure.InvalidAudience,
        ("sub", JsonValueKind.Null or JsonValueKind.Number) => TokenFailure.MissingClaim,
        _ => TokenFailure.Malformed,
    };

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    private static readonly Regex FixedChallenge = ChallengePattern();

    [GeneratedRegex("""^(Bearer|DPoP) realm="api"(, error="(?<e>invalid_request|invalid_token|invalid_dpop_proof)", error_description="(?<d>[A-Za-z ]+)")?(, algs="[A-Za-z0-9 ]+")?(?<rm>, resource_metadata="http://localhost/\.well-known/oauth-protected-resource")?$""")]
    private static partial Regex ChallengePattern();

    private static readonly HashSet<string> Vocabulary = new[] { typeof(TokenFailure), typeof(DPoPFailure), typeof(MtlsFailure) }
        .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static))
        .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToHashSet();

    [Fact]
    public void Corpus_has_at_least_90_inputs() => Assert.True(Cases.Count >= 90, $"{Cases.Count} cases");

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Hostile_input_gets_the_contract_answer(string name)
    {
        var @case = Cases[name];
        var logs = new LogCollector();
        await using var host = app.With("Production", @case.Settings).WithWebHostBuilder(b => b.ConfigureServices(s =>
            s.AddLogging(l => l.AddProvider(logs).AddFilter<LogCollector>(null, LogLevel.Trace))));
        var server = RawHttp.StartOnLoopback(host);
        var request = @case.Request(app);

        var answer = await RawHttp.SendRawAsync(server, request);

        Assert.Equal(@case.Status, answer.Status);
        if (@case.Error is not null)
        {
            Assert.Equal("application/problem+json", answer.Header("Content-Type"));
            using var body = JsonDocument.Parse(answer.Body);
            Assert.Equal(@case.Error, body.RootElement.GetProperty("error").GetString());
            Assert.Equal(@case.Description, body.RootElement.GetProperty("detail").GetString());
            var challenges = answer.All("WWW-Authenticate");
            Assert.Equal(2, challenges.Count);
            var matches = challenges.Select(c => FixedChallenge.Match(c)).ToList();
            Assert.All(matches, m => Assert.True(m.Success, $"challenge outside the fixed form: {string.Join(" | ", challenges)}"));
            // RFC 9728: every challenge names the metadata document, except when the request had no Host to build its URL from.
            Assert.All(matches, m => Assert.Equal(!name.Contains("without Host", StringComparison.Ordinal), m.Groups["rm"].Success));
            var withError = Assert.Single(matches, m => m.Groups["e"].Success);
            Assert.Equal(@case.Error, withError.Groups["e"].Value);
            Assert.Equal(@case.Description, withError.Groups["d"].Value);
            Assert.Contains(withError.Groups["d"].Value, Vocabulary);
        }
        Assert.DoesNotContain("Injected", answer.Body);
        Assert.Null(answer.Header("X-Injected"));
        // Everything logged for it, at every level and category (exceptions included): no fragment of a token or proof.
        var logged = string.Join("\n", logs.Entries.Select(e => $"{e.Message} {e.Exception}"));
        Assert.All(TokenFragments().Matches(request).Select(m => m.Value).Distinct(), fragment => Assert.DoesNotContain(fragment, logged, StringComparison.Ordinal));
    }

    /// <summary>Runs of base64url long enough to be part of a token, a signature or a proof.</summary>
    [GeneratedRegex("[A-Za-z0-9_-]{24,}")]
    private static partial Regex TokenFragments();

    /// <summary>The 1 MB limit on discovery and JWKS documents, against a key set published only inside a 2 MB JWKS.</summary>
    [Fact]
    public async Task Oversized_jwks_never_supplies_a_key()
    {
        using var issuer = new TestIssuer();
        using var rotated = new SigningKey("test-key-2");
        issuer.Published = [rotated];
        issuer.Fault = IssuerFault.OversizedJwks;
        await using var host = app.WithIssuer(issuer, null);
        var server = RawHttp.StartOnLoopback(host);

        var answer = await RawHttp.SendAsync(server, "GET", "/api/private", Bearer(new TokenBuilder(rotated).Build()));

        Assert.Equal(503, answer.Status);
        using var body = JsonDocument.Parse(answer.Body);
        Assert.Equal("temporarily_unavailable", body.RootElement.GetProperty("error").GetString());
        Assert.Equal("The token cannot be checked until the issuer's signing keys are available", body.RootElement.GetProperty("detail").GetString());
        Assert.True(int.Parse(answer.Header("Retry-After")!, System.Globalization.CultureInfo.InvariantCulture) >= 1);
    }

    private static string FlipLastSignatureBit(string token)
    {
        var parts = token.Split('.');
        var signature = Base64UrlEncoder.DecodeBytes(parts[2]);
        signature[^1] ^= 1;
        return $"{parts[0]}.{parts[1]}.{Base64UrlEncoder.Encode(signature)}";
    }
}
