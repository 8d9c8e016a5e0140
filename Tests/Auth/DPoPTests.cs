using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Tokens;
using MySecureApi.Infrastructure.Auth.DPoP;
using MySecureApi.Tests.Infrastructure;

namespace MySecureApi.Tests.Auth;

/// <summary>RFC 9449 on every protected route: valid proofs, each failed check, replay, modes, htu normalisation.</summary>
public sealed class DPoPTests(AppFixture app) : IDisposable
{
    private const string Url = "http://localhost/api/private";
    private const string Algs = "algs=\"ES256 ES384 RS256 PS256 EdDSA\"";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
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
        Assert.Equal($"Bearer realm=\"api\", DPoP realm=\"api\", error=\"invalid_dpop_proof\", error_description=\"{description}\", {Algs}", Problem.Challenge(response));
    }

    private static async Task AssertDPoPTokenRejectedAsync(HttpResponseMessage response, string description)
    {
        var body = await Problem.AssertAsync(response, HttpStatusCode.Unauthorized, "invalid_token", "Authentication required");
        Assert.Equal(description, body.GetProperty("detail").GetString());
        Assert.Equal($"Bearer realm=\"api\", DPoP realm=\"api\", error=\"invalid_token\", error_description=\"{description}\", {Algs}", Problem.Challenge(response));
    }

    private static async Task AssertDPoPRequestRejectedAsync(HttpResponseMessage response, string description, string scheme = "DPoP")
    {
        var body = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "invalid_request", "Authentication required");
        Assert.Equal(description, body.GetProperty("detail").GetString());
        var error = $"error=\"invalid_request\", error_description=\"{description}\"";
        Assert.Equal(scheme == "DPoP"
                ? $"Bearer realm=\"api\", DPoP realm=\"api\", {error}, {Algs}"
                : $"Bearer realm=\"api\", {error}, DPoP realm=\"api\", {Algs}",
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
        Assert.Equal($"Bearer realm=\"api\", DPoP realm=\"api\", error=\"insufficient_scope\", error_description=\"Insufficient Scope\", scope=\"read:messages\", {Algs}", Problem.Challenge(response));
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

    [Fact]
    public async Task Same_jti_after_the_window_is_accepted()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var issuer = new TestIssuer();
        await using var host = app.WithIssuer(issuer, time);
        var client = host.CreateClient();
        var token = new TokenBuilder(issuer.Key).With("cnf", new JsonObject { ["jkt"] = key.Thumbprint }).Build();
        var first = new DPoPProofBuilder(key, "GET", Url, token, time.GetUtcNow()).With("jti", "fixed-jti");

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(client, $"DPoP {token}", first.Build())).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(client, $"DPoP {token}", first.Build())).StatusCode);
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
        Assert.Equal($"DPoP realm=\"api\", error=\"invalid_dpop_proof\", error_description=\"{DPoPFailure.WrongMethod}\", algs=\"ES256\"", Problem.Challenge(response));
    }

    [Fact]
    public async Task Disabled_mode_accepts_only_bearer_even_for_bound_tokens()
    {
        await using var host = app.With("Production", ("AUTH0_DPOP_MODE", "disabled"));
        var client = host.CreateClient();
        var token = BoundToken();

        var dpop = await SendAsync(client, $"DPoP {token}", Proof(token).Build());
        var bearer = await SendAsync(client, $"Bearer {token}", Proof(token).Build());

        await Problem.AssertAsync(dpop, HttpStatusCode.Unauthorized, "unauthorized", "Authentication required");
        Assert.Equal("Bearer realm=\"api\"", Problem.Challenge(dpop));
        Assert.Equal(HttpStatusCode.OK, bearer.StatusCode);
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
