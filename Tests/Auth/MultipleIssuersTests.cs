using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using MySecureApi.Infrastructure.Auth.Keys;
using MySecureApi.Infrastructure.Auth.Tokens;
using MySecureApi.Tests.Fixtures;

namespace MySecureApi.Tests.Auth;

/// <summary>
/// Auth0 with custom domains: one API trusting two issuers, each with its own discovery, keys and resilience. A
/// token's <c>iss</c> picks the issuer before anything is fetched, and one issuer's keys never open another's token.
/// </summary>
public sealed class MultipleIssuersTests(AppFixture app) : IDisposable
{
    private readonly TestIssuer canonical = new("tenant.eu.auth0.test");
    private readonly TestIssuer custom = new("login.example.test:8443");
    private readonly TestIssuer stranger = new("attacker.example.test");

    public void Dispose()
    {
        canonical.Dispose();
        custom.Dispose();
        stranger.Dispose();
    }

    private IssuerRouter Network() => new(canonical, custom, stranger);

    private static async Task WaitForKeysAsync(IServiceProvider services, int count) =>
        await Eventually.TrueAsync(() => services.GetRequiredService<TrustedIssuers>().All.Count(s => s.HasKeys) == count, $"{count} issuers with keys");

    [Fact]
    public async Task Each_issuers_tokens_are_accepted_with_its_own_keys()
    {
        await using var host = app.WithIssuers(Network(), [canonical, custom]);
        var client = host.CreateClient();
        await WaitForKeysAsync(host.Services, 2);

        var fromCanonical = await client.GetPrivateAsync(canonical.Token().Build());
        var fromCustom = await client.GetPrivateAsync(custom.Token().Build());

        Assert.Equal(HttpStatusCode.OK, fromCanonical.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fromCustom.StatusCode);
        Assert.Equal(1, canonical.DiscoveryRequests);
        Assert.Equal(1, custom.DiscoveryRequests);
        Assert.Equal([canonical.Url, custom.Url], host.Services.GetRequiredService<TrustedIssuers>().All.Select(s => s.Issuer));
    }

    [Fact]
    public async Task A_token_signed_with_the_other_issuers_key_is_refused()
    {
        using var onlyCustom = new SigningKey("custom-only-key");
        custom.Published = [custom.Key, onlyCustom];
        await using var host = app.WithIssuers(Network(), [canonical, custom]);
        var client = host.CreateClient();
        await WaitForKeysAsync(host.Services, 2);

        // A kid only the custom domain publishes, in a token that claims the canonical issuer.
        var kidOfTheOther = await client.GetPrivateAsync(canonical.Token().SignedWith(onlyCustom).Build());
        // The same kid on both (test-key-1), but the key of the other issuer.
        var keyOfTheOther = await client.GetPrivateAsync(canonical.Token().SignedWith(custom.Key, keepKid: true).Build());

        await Problem.AssertInvalidTokenAsync(kidOfTheOther, TokenFailure.UnknownKey);
        await Problem.AssertInvalidTokenAsync(keyOfTheOther, TokenFailure.InvalidSignature);
        Assert.Equal(HttpStatusCode.OK, (await client.GetPrivateAsync(custom.Token().SignedWith(onlyCustom).Build())).StatusCode);
    }

    [Fact]
    public async Task An_issuer_not_configured_is_refused_without_any_request()
    {
        var network = Network();
        await using var host = app.WithIssuers(network, [canonical, custom]);
        var client = host.CreateClient();
        await WaitForKeysAsync(host.Services, 2);

        var response = await client.GetPrivateAsync(stranger.Token().Build());
        var unknownHost = await client.GetPrivateAsync(canonical.Token().With("iss", "https://nowhere.example.test/").Build());
        // Same host as a trusted issuer, another port: a different issuer.
        var otherPort = await client.GetPrivateAsync(custom.Token().With("iss", "https://login.example.test:9443/").Build());

        await Problem.AssertInvalidTokenAsync(response, TokenFailure.InvalidIssuer);
        await Problem.AssertInvalidTokenAsync(unknownHost, TokenFailure.InvalidIssuer);
        await Problem.AssertInvalidTokenAsync(otherPort, TokenFailure.InvalidIssuer);
        Assert.Empty(stranger.Requested);
        Assert.Empty(network.Unrouted);
        Assert.Equal((1, 1), (canonical.DiscoveryRequests, canonical.JwksRequests));
        Assert.Equal((1, 1), (custom.DiscoveryRequests, custom.JwksRequests));
    }

    [Fact]
    public async Task One_issuer_down_at_start_answers_503_for_its_tokens_only_and_readiness_names_it()
    {
        custom.Fault = IssuerFault.RefuseConnections;
        await using var host = app.WithIssuers(Network(), [canonical, custom],
            ("Auth0:KeySet:BackchannelTimeoutSeconds", "1"), ("Auth0:KeySet:MinRetrySeconds", "1"), ("Auth0:KeySet:MaxRetrySeconds", "1"));
        var client = host.CreateClient();
        await WaitForKeysAsync(host.Services, 1);
        await Eventually.TrueAsync(() => custom.DiscoveryRequests > 0 && !host.Services.GetRequiredService<TrustedIssuers>().All[1].Fetching, "first attempt failed");

        var fromCanonical = await client.GetPrivateAsync(canonical.Token().Build());
        var fromCustom = await client.GetPrivateAsync(custom.Token().Build());
        var ready = await client.GetAsync("/health/ready", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, fromCanonical.StatusCode);
        await Problem.AssertAsync(fromCustom, HttpStatusCode.ServiceUnavailable, "temporarily_unavailable", "The signing keys cannot be obtained right now");
        Assert.True(int.Parse(fromCustom.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        var body = await Problem.AssertAsync(ready, HttpStatusCode.ServiceUnavailable, "temporarily_unavailable", "The service is temporarily unavailable");
        var errors = body.GetProperty("errors");
        Assert.Equal(["no signing keys yet"], errors.GetProperty(custom.Url).EnumerateArray().Select(e => e.GetString()));
        Assert.False(errors.TryGetProperty(canonical.Url, out _));

        // Retries are driven by requests, after the backoff (1 s here).
        custom.Fault = IssuerFault.None;
        await Eventually.TrueAsync(async () => (await client.GetPrivateAsync(custom.Token().Build())).StatusCode == HttpStatusCode.OK, "the custom domain recovered");
        var readyNow = await client.GetAsync("/health/ready", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, readyNow.StatusCode);
        var issuers = JsonNode.Parse(await readyNow.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!["issuers"]!.AsObject();
        Assert.Equal([(canonical.Url, "keys loaded"), (custom.Url, "keys loaded")], issuers.Select(p => (p.Key, p.Value!.GetValue<string>())));
    }

    [Fact]
    public async Task A_cached_token_of_one_issuer_survives_the_other_issuers_key_rotation()
    {
        await using var multi = app.WithIssuers(Network(), [canonical, custom], ("Auth0:KeySet:UnknownKeyCooldownSeconds", "0"));
        var client = multi.CreateClient();
        await WaitForKeysAsync(multi.Services, 2);
        var token = canonical.Token().Build();
        Assert.Equal(HttpStatusCode.OK, (await client.GetPrivateAsync(token)).StatusCode);
        var sources = multi.Services.GetRequiredService<TrustedIssuers>().All;
        var canonicalGeneration = sources[0].Generation;

        using var rotated = new SigningKey("custom-key-2");
        custom.Published = [rotated];
        sources[1].RequestRefresh();
        await Eventually.TrueAsync(() => sources[1].Generation > 1, "the custom domain's keys were replaced");

        Assert.Equal(canonicalGeneration, sources[0].Generation);
        Assert.NotNull(multi.Services.GetRequiredService<VerifiedTokens>().ValidBearerPrincipal(token, new Microsoft.AspNetCore.Http.DefaultHttpContext()));
        await Problem.AssertInvalidTokenAsync(await client.GetPrivateAsync(custom.Token().Build()), TokenFailure.UnknownKey);
    }

    [Fact]
    public async Task Dpop_bound_tokens_of_either_issuer_are_accepted()
    {
        using var key = DPoPKey.Es256();
        await using var host = app.WithIssuers(Network(), [canonical, custom]);
        var client = host.CreateClient();
        await WaitForKeysAsync(host.Services, 2);

        foreach (var issuer in new[] { canonical, custom })
        {
            var token = issuer.Token().With("cnf", new JsonObject { ["jkt"] = key.Thumbprint }).Build();
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/private");
            request.Headers.TryAddWithoutValidation("Authorization", $"DPoP {token}");
            request.Headers.TryAddWithoutValidation("DPoP", new DPoPProofBuilder(key, "GET", "http://localhost/api/private", token).Build());

            var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task Readiness_lists_every_issuer()
    {
        await using var host = app.WithIssuers(Network(), [canonical, custom]);
        var client = host.CreateClient();
        await WaitForKeysAsync(host.Services, 2);

        var ready = await client.GetAsync("/health/ready", TestContext.Current.CancellationToken);

        using var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("ready", body.RootElement.GetProperty("status").GetString());
        Assert.Equal(2, body.RootElement.GetProperty("issuers").EnumerateObject().Count());
    }
}
