using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MySecureApi.Infrastructure.Auth.DPoP;
using MySecureApi.Tests.Fixtures;

namespace MySecureApi.Tests.Auth;

/// <summary>
/// RFC 9449 §8 server nonces, opt-in: derived from a shared secret and a time window, so any instance with the same
/// secret accepts another's, and nothing is stored per nonce.
/// </summary>
public sealed class DPoPNonceTests(AppFixture app) : IDisposable
{
    private const string Url = "http://localhost/api/private";
    private const string Secret = "a-test-secret-of-more-than-32-characters-0123456789";
    private const string Algs = "algs=\"ES256 ES384 RS256 PS256 EdDSA\"" + Problem.ResourceMetadata;

    private static readonly (string, string?)[] NonceOn = [("Auth0:DPoP:Nonce", "true"), ("Auth0:DPoP:NonceSecret", Secret)];

    private readonly DPoPKey key = DPoPKey.Es256();

    public void Dispose() => key.Dispose();

    private string BoundToken() => app.Token().With("cnf", new JsonObject { ["jkt"] = key.Thumbprint }).Build();

    private WebApplicationFactory<Program> Host(FakeTimeProvider? time = null, string secret = Secret) =>
        app.WithIssuer(app.Issuer, time, ("Auth0:DPoP:Nonce", "true"), ("Auth0:DPoP:NonceSecret", secret));

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string token, string proof)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/private");
        request.Headers.TryAddWithoutValidation("Authorization", $"DPoP {token}");
        request.Headers.TryAddWithoutValidation("DPoP", proof);
        return await client.SendAsync(request, Ct);
    }

    private static string Nonce(HttpResponseMessage response) => response.Headers.GetValues(DPoPNonces.Header).Single();

    private static async Task AssertUseNonceAsync(HttpResponseMessage response, string description)
    {
        var body = await Problem.AssertAsync(response, HttpStatusCode.Unauthorized, "use_dpop_nonce", "Authentication required");
        Assert.Equal(description, body.GetProperty("detail").GetString());
        Assert.Equal($"Bearer realm=\"api\"{Problem.ResourceMetadata}, DPoP realm=\"api\", error=\"use_dpop_nonce\", error_description=\"{description}\", {Algs}",
            Problem.Challenge(response));
        Assert.Matches("^[A-Za-z0-9_-]{32}$", Nonce(response));
    }

    [Fact]
    public async Task A_proof_without_a_nonce_gets_one_and_the_retry_succeeds_with_the_next_nonce()
    {
        await using var host = Host();
        var client = host.CreateClient();
        var token = BoundToken();

        var first = await SendAsync(client, token, new DPoPProofBuilder(key, "GET", Url, token).Build());
        await AssertUseNonceAsync(first, DPoPFailure.NonceMissing);
        var retry = await SendAsync(client, token, new DPoPProofBuilder(key, "GET", Url, token).With("nonce", Nonce(first)).Build());

        await Ok.AssertAsync(retry, $$"""{"message":"Private endpoint","user":"{{TokenBuilder.Subject}}"}""");
        Assert.Equal(Nonce(first), Nonce(retry));
    }

    [Theory]
    [InlineData("not-a-nonce")]
    [InlineData("")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task A_nonce_this_api_did_not_issue_is_refused(string nonce)
    {
        await using var host = Host();
        var token = BoundToken();

        var response = await SendAsync(host.CreateClient(), token, new DPoPProofBuilder(key, "GET", Url, token).With("nonce", nonce).Build());

        await AssertUseNonceAsync(response, DPoPFailure.NonceStale);
    }

    [Fact]
    public async Task A_nonce_as_a_number_is_missing()
    {
        await using var host = Host();
        var token = BoundToken();

        var response = await SendAsync(host.CreateClient(), token, new DPoPProofBuilder(key, "GET", Url, token).With("nonce", 12345).Build());

        await AssertUseNonceAsync(response, DPoPFailure.NonceMissing);
    }

    [Fact]
    public async Task A_nonce_stays_valid_for_the_next_window_and_is_refused_after_it()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = Host(time);
        var client = host.CreateClient();
        var token = BoundToken();
        var nonce = Nonce(await SendAsync(client, token, new DPoPProofBuilder(key, "GET", Url, token, time.GetUtcNow()).Build()));

        time.Advance(TimeSpan.FromSeconds(300));
        var nextWindow = await SendAsync(client, token, new DPoPProofBuilder(key, "GET", Url, token, time.GetUtcNow()).With("nonce", nonce).Build());
        time.Advance(TimeSpan.FromSeconds(300));
        var beyond = await SendAsync(client, token, new DPoPProofBuilder(key, "GET", Url, token, time.GetUtcNow()).With("nonce", nonce).Build());

        Assert.Equal(HttpStatusCode.OK, nextWindow.StatusCode);
        Assert.NotEqual(nonce, Nonce(nextWindow));
        await AssertUseNonceAsync(beyond, DPoPFailure.NonceStale);
        Assert.NotEqual(nonce, Nonce(beyond));
    }

    [Fact]
    public async Task Another_instance_with_the_same_secret_accepts_the_nonce_and_one_with_another_secret_does_not()
    {
        await using var first = Host();
        await using var second = Host();
        await using var other = Host(secret: "another-secret-of-more-than-32-characters-987654321");
        var token = BoundToken();
        var nonce = Nonce(await SendAsync(first.CreateClient(), token, new DPoPProofBuilder(key, "GET", Url, token).Build()));

        var onSecond = await SendAsync(second.CreateClient(), token, new DPoPProofBuilder(key, "GET", Url, token).With("nonce", nonce).Build());
        var onOther = await SendAsync(other.CreateClient(), token, new DPoPProofBuilder(key, "GET", Url, token).With("nonce", nonce).Build());

        Assert.Equal(HttpStatusCode.OK, onSecond.StatusCode);
        await AssertUseNonceAsync(onOther, DPoPFailure.NonceStale);
    }

    [Fact]
    public async Task A_bad_signature_is_reported_before_the_nonce()
    {
        await using var host = Host();
        using var otherKey = DPoPKey.Es256();
        var token = BoundToken();

        var response = await SendAsync(host.CreateClient(), token, new DPoPProofBuilder(key, "GET", Url, token).SignedBy(otherKey).Build());

        var body = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "invalid_dpop_proof", "Authentication required");
        Assert.Equal(DPoPFailure.BadSignature, body.GetProperty("detail").GetString());
        Assert.True(response.Headers.Contains(DPoPNonces.Header));
    }

    [Fact]
    public async Task Bearer_requests_get_no_nonce_and_nonces_are_off_by_default()
    {
        await using var host = Host();
        var token = BoundToken();

        var bearer = await host.CreateClient().GetPrivateAsync(app.Token().Build());
        var defaultMode = await SendAsync(app.Client(), token, new DPoPProofBuilder(key, "GET", Url, token).Build());

        Assert.Equal(HttpStatusCode.OK, bearer.StatusCode);
        Assert.False(bearer.Headers.Contains(DPoPNonces.Header));
        Assert.Equal(HttpStatusCode.OK, defaultMode.StatusCode);
        Assert.False(defaultMode.Headers.Contains(DPoPNonces.Header));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("too-short")]
    public void Nonces_without_a_long_enough_secret_stop_startup(string? secret)
    {
        using var host = app.With("Production", ("Auth0:DPoP:Nonce", "true"), ("Auth0:DPoP:NonceSecret", secret));

        var error = Assert.Throws<OptionsValidationException>(() => host.CreateClient());

        Assert.StartsWith("Auth0:DPoP:NonceSecret must be set to a random value of at least 32 characters", error.Message);
    }

    [Fact]
    public void The_nonce_window_is_bounded()
    {
        using var host = app.With("Production", [.. NonceOn, ("Auth0:DPoP:NonceWindowSeconds", "5")]);

        var error = Assert.Throws<OptionsValidationException>(() => host.CreateClient());

        Assert.Contains("Auth0:DPoP:NonceWindowSeconds", error.Message);
    }
}
