using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Tokens;
using MySecureApi.Infrastructure.Auth.DPoP;
using MySecureApi.Tests.Fixtures;

namespace MySecureApi.Tests.Auth;

/// <summary>RFC 9449 on every protected route: valid proofs, each failed check, replay, modes, htu normalisation.</summary>
public sealed class DPoPTests(AppFixture app) : IDisposable
{
    private const string Url = "http://localhost/api/private";
    private const string Algs = "algs=\"ES256 ES384 RS256 PS256 EdDSA\"" + Problem.ResourceMetadata;
    private const string Rm = Problem.ResourceMetadata;
    private readonly DPoPKey key = DPoPKey.Es256();

    public void Dispose() => key.Dispose();

    private string BoundToken(DPoPKey? to = null) => app.Token().With("cnf", new JsonObject { ["jkt"] = (to ?? key).Thumbprint }).Build();

    private DPoPProofBuilder Proof(string token, string method = "GET", string url = Url, DPoPKey? with = null) =>
        new(with ?? key, method, url, token);

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string authorization, params string[] proofs) =>
        await SendToAsync(client, "/api/private", authorization, proofs);

    private static async Task<HttpResponseMessage> SendToAsync(HttpClient client, string path, string authorization, params string[] proofs)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        foreach (var proof in proofs)
            request.Headers.TryAddWithoutValidation("DPoP", proof);
        return await client.SendAsync(request, Ct);
    }

    private async Task<HttpResponseMessage> DPoPAsync(string token, string proof) => await SendAsync(app.Client(), $"DPoP {token}", proof);

    private static async Task AssertProofRejectedAsync(HttpResponseMessage response, string description)
    {
        var body = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "invalid_dpop_proof", "Authentication required");
        Assert.Equal(description, body.GetProperty("detail").GetString());
        Assert.Equal($"Bearer realm=\"api\"{Rm}, DPoP realm=\"api\", error=\"invalid_dpop_proof\", error_description=\"{description}\", {Algs}", Problem.Challenge(response));
    }

    private static async Task AssertDPoPTokenRejectedAsync(HttpResponseMessage response, string description)
    {
        var body = await Problem.AssertAsync(response, HttpStatusCode.Unauthorized, "invalid_token", "Authentication required");
        Assert.Equal(description, body.GetProperty("detail").GetString());
        Assert.Equal($"Bearer realm=\"api\"{Rm}, DPoP realm=\"api\", error=\"invalid_token\", error_description=\"{description}\", {Algs}", Problem.Challenge(response));
    }

    private static async Task AssertDPoPRequestRejectedAsync(HttpResponseMessage response, string description, string scheme = "DPoP")
    {
        var body = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "invalid_request", "Authentication required");
        Assert.Equal(description, body.GetProperty("detail").GetString());
        var error = $"error=\"invalid_request\", error_description=\"{description}\"";
        Assert.Equal(scheme == "DPoP"
                ? $"Bearer realm=\"api\"{Rm}, DPoP realm=\"api\", {error}, {Algs}"
                : $"Bearer realm=\"api\", {error}{Rm}, DPoP realm=\"api\", {Algs}",
            Problem.Challenge(response));
    }

    public static TheoryData<string> KeyTypes => new() { "ES256", "RS256", "PS256", "EdDSA" };

    [Theory]
    [MemberData(nameof(KeyTypes))]
    public async Task Valid_proof_opens_the_route(string alg)
    {
        using var client = alg switch { "ES256" => DPoPKey.Es256(), "EdDSA" => DPoPKey.EdDsa(), _ => DPoPKey.Rsa(alg) };
        var token = BoundToken(client);

        var response = await DPoPAsync(token, Proof(token, with: client).Build());

        await Ok.AssertAsync(response, $$"""{"message":"Private endpoint","user":"{{TokenBuilder.Subject}}"}""");
    }

    [Fact]
    public async Task Scope_failure_with_dpop_keeps_the_403_contract_with_a_dpop_challenge()
    {
        var token = BoundToken();

        var response = await SendToAsync(app.Client(), "/api/messages", $"DPoP {token}", Proof(token, url: "http://localhost/api/messages").Build());

        await Problem.AssertAsync(response, HttpStatusCode.Forbidden, "insufficient_scope", "Missing required permissions");
        Assert.Equal($"Bearer realm=\"api\"{Rm}, DPoP realm=\"api\", error=\"insufficient_scope\", error_description=\"Insufficient Scope\", scope=\"read:messages\", {Algs}", Problem.Challenge(response));
    }

    [Fact]
    public async Task Dpop_scheme_without_a_proof_is_refused() =>
        await AssertDPoPRequestRejectedAsync(await SendAsync(app.Client(), $"DPoP {BoundToken()}"), DPoPFailure.ProofMissing);

    [Fact]
    public async Task Two_proofs_are_refused()
    {
        var token = BoundToken();
        await AssertDPoPRequestRejectedAsync(await SendAsync(app.Client(), $"DPoP {token}", Proof(token).Build(), Proof(token).Build()), DPoPFailure.MultipleProofs);
    }

    [Fact]
    public async Task Proof_with_the_bearer_scheme_is_refused()
    {
        var token = BoundToken();
        await AssertDPoPRequestRejectedAsync(await SendAsync(app.Client(), $"Bearer {token}", Proof(token).Build()), DPoPFailure.ProofWithBearer, "Bearer");
    }

    [Fact]
    public async Task Bound_token_sent_as_bearer_is_refused()
    {
        var response = await SendAsync(app.Client(), $"Bearer {BoundToken()}");

        await Problem.AssertInvalidTokenAsync(response, DPoPFailure.BoundTokenAsBearer);
    }

    [Fact]
    public async Task Bound_token_sent_as_bearer_is_refused_even_once_cached()
    {
        var token = BoundToken();
        Assert.Equal(HttpStatusCode.OK, (await DPoPAsync(token, Proof(token).Build())).StatusCode);

        await Problem.AssertInvalidTokenAsync(await SendAsync(app.Client(), $"Bearer {token}"), DPoPFailure.BoundTokenAsBearer);
    }

    [Fact]
    public async Task Unbound_token_with_dpop_is_refused()
    {
        var token = app.Token().Build();
        await AssertDPoPTokenRejectedAsync(await DPoPAsync(token, Proof(token).Build()), DPoPFailure.TokenNotBound);
    }

    [Fact]
    public async Task Token_bound_to_another_key_is_refused()
    {
        using var other = DPoPKey.Es256();
        var token = BoundToken(other);
        await AssertDPoPTokenRejectedAsync(await DPoPAsync(token, Proof(token).Build()), DPoPFailure.WrongKey);
    }

    [Fact]
    public async Task Malformed_proof_is_refused() => await AssertProofRejectedAsync(await DPoPAsync(BoundToken(), "not.a.jwt"), DPoPFailure.Malformed);

    [Theory]
    [InlineData("jwt")]
    [InlineData("JWT")]
    [InlineData("at+jwt")]
    public async Task Proof_typ_other_than_dpop_jwt_is_refused(string typ)
    {
        var token = BoundToken();
        await AssertProofRejectedAsync(await DPoPAsync(token, Proof(token).WithHeader("typ", typ).Build()), DPoPFailure.WrongType);
    }

    [Fact]
    public async Task Proof_without_typ_is_refused()
    {
        var token = BoundToken();
        await AssertProofRejectedAsync(await DPoPAsync(token, Proof(token).WithoutHeader("typ").Build()), DPoPFailure.WrongType);
    }

    [Theory]
    [InlineData("HS256")]
    [InlineData("none")]
    [InlineData("ES512")]
    public async Task Proof_algorithm_outside_the_list_is_refused(string alg)
    {
        var token = BoundToken();
        await AssertProofRejectedAsync(await DPoPAsync(token, Proof(token).WithHeader("alg", alg).Build()), DPoPFailure.AlgorithmNotAllowed);
    }

    [Fact]
    public async Task Proof_without_a_jwk_is_refused()
    {
        var token = BoundToken();
        await AssertProofRejectedAsync(await DPoPAsync(token, Proof(token).WithoutHeader("jwk").Build()), DPoPFailure.BadKey);
    }

    [Fact]
    public async Task Proof_with_a_private_key_member_is_refused()
    {
        var token = BoundToken();
        var jwk = key.PublicJwk.DeepClone().AsObject();
        jwk["d"] = Base64UrlEncoder.Encode(new byte[32]);
        await AssertProofRejectedAsync(await DPoPAsync(token, Proof(token).WithHeader("jwk", jwk).Build()), DPoPFailure.BadKey);
    }

    [Fact]
    public async Task Proof_whose_jwk_does_not_fit_its_alg_is_refused()
    {
        var token = BoundToken();
        await AssertProofRejectedAsync(await DPoPAsync(token, Proof(token).WithHeader("alg", "RS256").Build()), DPoPFailure.BadKey);
    }

    [Fact]
    public async Task Proof_signed_by_another_key_is_refused()
    {
        using var other = DPoPKey.Es256();
        var token = BoundToken();
        await AssertProofRejectedAsync(await DPoPAsync(token, Proof(token).SignedBy(other).Build()), DPoPFailure.BadSignature);
    }

    [Fact]
    public async Task Proof_for_another_method_is_refused()
    {
        var token = BoundToken();
        await AssertProofRejectedAsync(await DPoPAsync(token, Proof(token, method: "POST").Build()), DPoPFailure.WrongMethod);
    }

    [Theory]
    [InlineData("http://localhost/api/messages")]
    [InlineData("https://localhost/api/private")]
    [InlineData("http://evil.example/api/private")]
    [InlineData("http://localhost:8080/api/private")]
    [InlineData("http://localhost/API/PRIVATE")]
    [InlineData("/api/private")]
    public async Task Proof_for_another_uri_is_refused(string htu)
    {
        var token = BoundToken();
        await AssertProofRejectedAsync(await DPoPAsync(token, Proof(token, url: htu).Build()), DPoPFailure.WrongUri);
    }

    [Theory]
    [InlineData("http://localhost/api/private?x=1#f")]
    [InlineData("http://localhost:80/api/private")]
    [InlineData("HTTP://LOCALHOST/api/private")]
    public async Task Htu_ignores_query_and_fragment_default_port_and_case_of_scheme_and_host(string htu)
    {
        var token = BoundToken();
        var response = await SendToAsync(app.Client(), "/api/private?page=2", $"DPoP {token}", Proof(token, url: htu).Build());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Proof_older_than_the_window_is_refused()
    {
        var token = BoundToken();
        var proof = Proof(token).With("iat", DateTimeOffset.UtcNow.AddSeconds(-301).ToUnixTimeSeconds()).Build();
        await AssertProofRejectedAsync(await DPoPAsync(token, proof), DPoPFailure.TooOld);
    }

    [Fact]
    public async Task Proof_from_the_future_is_refused()
    {
        var token = BoundToken();
        var proof = Proof(token).With("iat", DateTimeOffset.UtcNow.AddSeconds(60).ToUnixTimeSeconds()).Build();
        await AssertProofRejectedAsync(await DPoPAsync(token, proof), DPoPFailure.IssuedInFuture);
    }

    [Theory]
    [InlineData("jti")]
    [InlineData("htm")]
    [InlineData("htu")]
    [InlineData("iat")]
    [InlineData("ath")]
    public async Task Proof_missing_a_claim_is_refused(string claim)
    {
        var token = BoundToken();
        await AssertProofRejectedAsync(await DPoPAsync(token, Proof(token).Without(claim).Build()), DPoPFailure.MissingClaim);
    }

    [Fact]
    public async Task Proof_for_another_access_token_is_refused()
    {
        var token = BoundToken();
        var other = app.Token().With("cnf", new JsonObject { ["jkt"] = key.Thumbprint }).With("jti", "another-token").Build();
        await AssertProofRejectedAsync(await DPoPAsync(token, Proof(other).Build()), DPoPFailure.WrongAth);
    }

    [Fact]
    public async Task Replayed_proof_is_refused()
    {
        var token = BoundToken();
        var proof = Proof(token).Build();

        Assert.Equal(HttpStatusCode.OK, (await DPoPAsync(token, proof)).StatusCode);
        await AssertProofRejectedAsync(await DPoPAsync(token, proof), DPoPFailure.Replayed);
    }

    /// <summary>
    /// The replay cache remembers a proof for as long as its <c>iat</c> is acceptable, not only for a moment: the same
    /// proof sent again 60 s and 290 s later (still inside the 300 s window) is a replay.
    /// </summary>
    [Fact]
    public async Task A_proof_replayed_part_way_through_its_window_is_refused()
    {
        await using var clocked = new FakeClockHost(app, key);
        var (time, client, token) = (clocked.Time, clocked.Client, clocked.Token);
        var proof = new DPoPProofBuilder(key, "GET", Url, token, time.GetUtcNow()).Build();
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(client, $"DPoP {token}", proof)).StatusCode);

        time.Advance(TimeSpan.FromSeconds(60));
        await AssertProofRejectedAsync(await SendAsync(client, $"DPoP {token}", proof), DPoPFailure.Replayed);
        time.Advance(TimeSpan.FromSeconds(230));
        await AssertProofRejectedAsync(await SendAsync(client, $"DPoP {token}", proof), DPoPFailure.Replayed);
    }

    /// <summary>A host on its own issuer and a fake clock, with a token bound to the given DPoP key: for proofs judged over time.</summary>
    private sealed class FakeClockHost : IAsyncDisposable
    {
        private readonly TestIssuer issuer = new();
        private readonly Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> host;

        public FakeClockHost(AppFixture app, DPoPKey key)
        {
            host = app.WithIssuer(issuer, Time);
            Client = host.CreateClient();
            Token = new TokenBuilder(issuer.Key).With("cnf", new JsonObject { ["jkt"] = key.Thumbprint }).Build();
        }

        public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

        public HttpClient Client { get; }

        public string Token { get; }

        public async ValueTask DisposeAsync()
        {
            await host.DisposeAsync();
            issuer.Dispose();
        }
    }

    [Fact]
    public async Task Same_jti_after_the_window_is_accepted()
    {
        await using var clocked = new FakeClockHost(app, key);
        var (time, client, token) = (clocked.Time, clocked.Client, clocked.Token);
        var first = new DPoPProofBuilder(key, "GET", Url, token, time.GetUtcNow()).With("jti", "fixed-jti");

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(client, $"DPoP {token}", first.Build())).StatusCode);
        await AssertProofRejectedAsync(await SendAsync(client, $"DPoP {token}", first.Build()), DPoPFailure.Replayed);
        time.Advance(TimeSpan.FromSeconds(331));
        var later = new DPoPProofBuilder(key, "GET", Url, token, time.GetUtcNow()).With("jti", "fixed-jti");

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(client, $"DPoP {token}", later.Build())).StatusCode);
    }

    [Fact]
    public async Task Required_mode_accepts_only_dpop()
    {
        await using var host = app.With("Production", ("AUTH0_DPOP_MODE", "Required"));
        var client = host.CreateClient();
        var token = BoundToken();

        var bearer = await SendAsync(client, $"Bearer {app.Token().Build()}");
        var dpop = await SendAsync(client, $"DPoP {token}", Proof(token).Build());

        await Problem.AssertAsync(bearer, HttpStatusCode.Unauthorized, "unauthorized", "Authentication required");
        Assert.Equal($"DPoP realm=\"api\", {Algs}", Problem.Challenge(bearer));
        Assert.Equal(HttpStatusCode.OK, dpop.StatusCode);
    }

    [Fact]
    public async Task Required_mode_puts_errors_on_the_dpop_challenge()
    {
        await using var host = app.With("Production", ("Auth0:DPoP:Mode", "Required"), ("Auth0:DPoP:Algorithms:0", "ES256"));
        var token = BoundToken();

        var response = await SendAsync(host.CreateClient(), $"DPoP {token}", Proof(token, method: "DELETE").Build());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal($"DPoP realm=\"api\", error=\"invalid_dpop_proof\", error_description=\"{DPoPFailure.WrongMethod}\", algs=\"ES256\"{Rm}", Problem.Challenge(response));
    }

    [Fact]
    public async Task Disabled_mode_accepts_only_bearer_and_refuses_bound_tokens()
    {
        await using var host = app.With("Production", ("AUTH0_DPOP_MODE", "disabled"));
        var client = host.CreateClient();
        var token = BoundToken();

        var dpop = await SendAsync(client, $"DPoP {token}", Proof(token).Build());
        var bound = await SendAsync(client, $"Bearer {token}", Proof(token).Build());
        var unbound = await SendAsync(client, $"Bearer {app.Token().Build()}", Proof(token).Build());

        await Problem.AssertAsync(dpop, HttpStatusCode.Unauthorized, "unauthorized", "Authentication required");
        Assert.Equal($"Bearer realm=\"api\"{Rm}", Problem.Challenge(dpop));
        var body = await Problem.AssertAsync(bound, HttpStatusCode.Unauthorized, "invalid_token", "Authentication required");
        Assert.Equal(DPoPFailure.BoundTokenNotAccepted, body.GetProperty("detail").GetString());
        Assert.Equal($"Bearer realm=\"api\", error=\"invalid_token\", error_description=\"{DPoPFailure.BoundTokenNotAccepted}\"{Rm}", Problem.Challenge(bound));
        Assert.Equal(HttpStatusCode.OK, unbound.StatusCode);
    }

    [Fact]
    public async Task Behind_a_trusted_proxy_htu_uses_the_forwarded_scheme_and_host()
    {
        await using var host = app.With("Production", ("ForwardedHeaders:Enabled", "true"), ("ForwardedHeaders:KnownProxies:0", "10.0.0.5"));
        var token = BoundToken();
        var proof = Proof(token, url: "https://api.example.com/api/private").Build();

        var trusted = await SendViaProxyAsync(host, "10.0.0.5", token, proof);
        var spoofed = await SendViaProxyAsync(host, "10.0.0.6", token, Proof(token, url: "https://api.example.com/api/private").Build());

        Assert.Equal(200, trusted);
        Assert.Equal(400, spoofed);
    }

    private static async Task<int> SendViaProxyAsync(WebApplicationFactory<Program> host, string remoteIp, string token, string proof)
    {
        var context = await host.Server.SendAsync(c =>
        {
            c.Request.Method = "GET";
            c.Request.Scheme = "http";
            c.Request.Host = new("internal:8080");
            c.Request.Path = "/api/private";
            c.Connection.RemoteIpAddress = IPAddress.Parse(remoteIp);
            c.Request.Headers.Authorization = $"DPoP {token}";
            c.Request.Headers["DPoP"] = proof;
            c.Request.Headers["X-Forwarded-Proto"] = "https";
            c.Request.Headers["X-Forwarded-Host"] = "api.example.com";
            c.Request.Headers["X-Forwarded-For"] = "203.0.113.9";
        }, Ct);
        return context.Response.StatusCode;
    }

    [Fact]
    public async Task Proof_carrying_the_hash_of_a_token_that_differs_by_one_character_is_refused()
    {
        var token = BoundToken();
        var proof = Proof(token).With("ath", DPoPProofValidator.AccessTokenHash(token[..^1] + (token[^1] == 'A' ? 'B' : 'A'))).Build();

        await AssertProofRejectedAsync(await DPoPAsync(token, proof), DPoPFailure.WrongAth);
    }

    [Fact]
    public async Task Jti_of_256_characters_is_accepted_and_one_more_is_refused()
    {
        var token = BoundToken();

        var longest = await DPoPAsync(token, Proof(token).With("jti", new string('j', DPoPOptions.MaxJtiLength)).Build());
        var tooLong = await DPoPAsync(token, Proof(token).With("jti", new string('k', DPoPOptions.MaxJtiLength + 1)).Build());

        Assert.Equal(HttpStatusCode.OK, longest.StatusCode);
        await AssertProofRejectedAsync(tooLong, DPoPFailure.JtiTooLong);
    }

    [Fact]
    public async Task Rsa_proof_key_of_4096_bits_is_accepted()
    {
        using var client = DPoPKey.Rsa("RS256", 4096);
        var token = BoundToken(client);

        Assert.Equal(HttpStatusCode.OK, (await DPoPAsync(token, Proof(token, with: client).Build())).StatusCode);
    }

    [Fact]
    public async Task Rsa_proof_key_of_1024_bits_is_refused()
    {
        using var client = DPoPKey.Rsa("RS256", 1024);
        var token = BoundToken(client);

        await AssertProofRejectedAsync(await DPoPAsync(token, Proof(token, with: client).Build()), DPoPFailure.KeySize);
    }

    /// <summary>
    /// An 8192-bit modulus (random, odd: no key needs generating) bound in the token. The size is refused before the
    /// signature is looked at, so the signature need not be valid.
    /// </summary>
    [Fact]
    public async Task Rsa_proof_key_of_8192_bits_is_refused_before_its_signature_is_checked()
    {
        var modulus = RandomNumberGenerator.GetBytes(1024);
        modulus[0] |= 0x80;
        modulus[^1] |= 1;
        var jwk = new JsonObject { ["kty"] = "RSA", ["n"] = Base64UrlEncoder.Encode(modulus), ["e"] = "AQAB" };
        var thumbprint = DPoPProofValidator.Thumbprint(new JsonWebKey(jwk.ToJsonString()));
        var token = app.Token().With("cnf", new JsonObject { ["jkt"] = thumbprint }).Build();
        var proof = new DPoPProofBuilder(key, "GET", Url, token).WithHeader("alg", "RS256").WithHeader("jwk", jwk).Build();

        await AssertProofRejectedAsync(await DPoPAsync(token, proof), DPoPFailure.KeySize);
    }

    [Fact]
    public async Task Cheap_checks_run_before_the_signature()
    {
        using var other = DPoPKey.Es256();
        var token = BoundToken();
        var otherToken = BoundToken(other);

        var wrongMethod = await DPoPAsync(token, Proof(token, method: "POST").SignedBy(other).Build());
        var wrongKey = await DPoPAsync(otherToken, Proof(otherToken).SignedBy(other).Build());

        await AssertProofRejectedAsync(wrongMethod, DPoPFailure.WrongMethod);
        await AssertDPoPTokenRejectedAsync(wrongKey, DPoPFailure.WrongKey);
    }

    public static TheoryData<string, string> OutOfRangeIat => new()
    {
        { "\"1700000000\"", DPoPFailure.MissingClaim },
        { "1e15", DPoPFailure.IssuedInFuture },
        { "-1e15", DPoPFailure.TooOld },
        { "9223372036854775807", DPoPFailure.IssuedInFuture },
        { "1e300", DPoPFailure.Malformed },
        { "-1e300", DPoPFailure.Malformed },
        { "null", DPoPFailure.Malformed },
    };

    [Theory]
    [MemberData(nameof(OutOfRangeIat))]
    public async Task Proof_iat_out_of_range_or_not_a_number_is_refused(string iat, string description)
    {
        var token = BoundToken();

        var response = await DPoPAsync(token, Proof(token).With("iat", JsonNode.Parse(iat)).Build());

        await AssertProofRejectedAsync(response, description);
    }

    [Fact]
    public async Task One_key_cannot_store_more_proofs_than_its_quota_yet_other_keys_still_can()
    {
        await using var host = app.With("Production", ("Auth0:DPoP:ReplayCachePerKeyLimit", "3"));
        var client = host.CreateClient();
        var token = BoundToken();
        using var other = DPoPKey.Es256();
        var otherToken = BoundToken(other);

        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.OK, (await SendAsync(client, $"DPoP {token}", Proof(token).Build())).StatusCode);
        var over = await SendAsync(client, $"DPoP {token}", Proof(token).Build());

        await Problem.AssertAsync(over, HttpStatusCode.TooManyRequests, "rate_limited", "Too many requests");
        var retryAfter = int.Parse(over.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 300, 331);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(client, $"DPoP {otherToken}", Proof(otherToken, with: other).Build())).StatusCode);
    }

    [Fact]
    public async Task A_full_replay_cache_refuses_new_proofs_with_503_instead_of_forgetting_old_ones()
    {
        await using var host = app.With("Production", ("Auth0:DPoP:ReplayCacheSize", "2"), ("Auth0:DPoP:ReplayCachePerKeyLimit", "2"));
        var client = host.CreateClient();
        var token = BoundToken();
        using var other = DPoPKey.Es256();
        var otherToken = BoundToken(other);
        var first = Proof(token).Build();

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(client, $"DPoP {token}", first)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(client, $"DPoP {token}", Proof(token).Build())).StatusCode);
        var full = await SendAsync(client, $"DPoP {otherToken}", Proof(otherToken, with: other).Build());

        var body = await Problem.AssertAsync(full, HttpStatusCode.ServiceUnavailable, "temporarily_unavailable", "DPoP proofs cannot be checked right now");
        Assert.Equal("The DPoP replay cache is unavailable", body.GetProperty("detail").GetString());
        Assert.Equal("5", full.Headers.GetValues("Retry-After").Single());
        await AssertProofRejectedAsync(await SendAsync(client, $"DPoP {token}", first), DPoPFailure.Replayed);
    }

    [Fact]
    public void Rfc_7638_thumbprint_example()
    {
        var jwk = new JsonWebKey("""
            {"kty":"RSA","e":"AQAB","alg":"RS256","kid":"2011-04-29",
             "n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"}
            """);

        Assert.Equal("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs", DPoPProofValidator.Thumbprint(jwk));
    }

    [Fact]
    public void Rfc_9449_jkt_example()
    {
        var jwk = new JsonWebKey("""{"kty":"EC","x":"l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs","y":"9VE4jf_Ok_o64zbTTlcuNJajHmt6v9TDVrU0CdvGRDA","crv":"P-256"}""");

        Assert.Equal("0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I", DPoPProofValidator.Thumbprint(jwk));
    }

    [Fact]
    public void Rfc_9449_ath_example() =>
        Assert.Equal("fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo", DPoPProofValidator.AccessTokenHash("Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU"));
}
