using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using MySecureApi.Infrastructure.Auth.DPoP;
using MySecureApi.Infrastructure.Auth.Mtls;
using MySecureApi.Infrastructure.Auth.Tokens;
using MySecureApi.Tests.Fixtures;

namespace MySecureApi.Tests.Auth;

/// <summary>
/// RFC 8705 certificate-bound tokens over real TLS: the app on Kestrel HTTPS at 127.0.0.1 (a certificate issued by a
/// run-time authority), clients presenting run-time certificates — self-signed ones included, as the binding is the
/// trust — and, behind a trusted proxy, the certificate in RFC 9440's <c>Client-Cert</c> or nginx's escaped PEM.
/// </summary>
public sealed class CertificateBoundTokenTests(AppFixture app) : IDisposable
{
    private readonly TestCertificates certificates = new();

    public void Dispose() => certificates.Dispose();

    private string BoundTo(X509Certificate2 certificate) =>
        app.Token().With("cnf", new JsonObject { [CertificateBinding.Member] = TestCertificates.Thumbprint(certificate) }).Build();

    /// <summary>The app on Kestrel HTTPS (loopback, ephemeral port) with <c>AUTH0_MTLS_MODE</c>=<paramref name="mode"/>.</summary>
    private (WebApplicationFactory<Program> Host, Uri Address) Https(string mode, params (string Key, string? Value)[] settings)
    {
        var host = app.With("Production", [("AUTH0_MTLS_MODE", mode), .. settings]);
        host.UseKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificates.Server)));
        return (host, Start(host));
    }

    /// <summary>The app on plain HTTP at loopback, as it runs behind a TLS-terminating proxy.</summary>
    private static (WebApplicationFactory<Program> Host, Uri Address) BehindProxy(WebApplicationFactory<Program> host)
    {
        host.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        return (host, Start(host));
    }

    private static Uri Start(WebApplicationFactory<Program> host)
    {
        host.StartServer();
        var address = new Uri(host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        Assert.True(IPAddress.IsLoopback(IPAddress.Parse(address.Host)), $"bound to {address}");
        return address;
    }

    private static async Task<HttpResponseMessage> GetAsync(HttpClient client, string token, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/private");
        request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {token}");
        foreach (var (name, value) in headers)
            request.Headers.TryAddWithoutValidation(name, value);
        return await client.SendAsync(request, Ct);
    }

    /// <summary>401 <c>invalid_token</c>, the fixed description in body and Bearer challenge, which names the metadata document.</summary>
    private static async Task AssertRefusedAsync(HttpResponseMessage response, Uri address, string description, string scheme = "Bearer")
    {
        var body = await Problem.AssertAsync(response, HttpStatusCode.Unauthorized, "invalid_token", "Authentication required");
        Assert.Equal(description, body.GetProperty("detail").GetString());
        var metadata = $"resource_metadata=\"{address.GetLeftPart(UriPartial.Authority)}/.well-known/oauth-protected-resource\"";
        var challenge = Problem.Challenge(response);
        Assert.StartsWith($"Bearer realm=\"api\", {(scheme == "Bearer" ? $"error=\"invalid_token\", error_description=\"{description}\", " : "")}{metadata}", challenge);
        if (scheme == "DPoP")
            Assert.Contains($"DPoP realm=\"api\", error=\"invalid_token\", error_description=\"{description}\", ", challenge);
    }

    [Fact]
    public async Task A_bound_token_is_accepted_only_with_its_certificate()
    {
        var (host, address) = Https("Allowed");
        await using var _ = host;
        var mine = certificates.SelfSignedClient("mine");
        var token = BoundTo(mine);

        using var withMine = certificates.Client(address, mine);
        using var withAnother = certificates.Client(address, certificates.SelfSignedClient("another"));
        using var withNone = certificates.Client(address);

        Assert.Equal(HttpStatusCode.OK, (await GetAsync(withMine, token)).StatusCode);
        await AssertRefusedAsync(await GetAsync(withNone, token), address, MtlsFailure.NoCertificate);
        await AssertRefusedAsync(await GetAsync(withAnother, token), address, MtlsFailure.WrongCertificate);
        // Still the right certificate's: the refusals above did not spoil the cached token.
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(withMine, token)).StatusCode);
    }

    [Fact]
    public async Task A_cached_bound_token_is_checked_again_on_every_request()
    {
        var (host, address) = Https("Allowed");
        await using var _ = host;
        var mine = certificates.SelfSignedClient("mine");
        var token = BoundTo(mine);
        using var withMine = certificates.Client(address, mine);
        using var withAnother = certificates.Client(address, certificates.SelfSignedClient("another"));

        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.OK, (await GetAsync(withMine, token)).StatusCode);
        await AssertRefusedAsync(await GetAsync(withAnother, token), address, MtlsFailure.WrongCertificate);
        Assert.True(host.Services.GetRequiredService<VerifiedTokens>().Find(VerifiedTokens.KeyOf(token)) is { CertificateThumbprint: not null },
            "the token was answered from the cache");
    }

    [Fact]
    public async Task A_certificate_issued_by_an_authority_binds_as_a_self_signed_one_does()
    {
        var (host, address) = Https("Allowed");
        await using var _ = host;
        var issued = certificates.IssuedClient();
        using var client = certificates.Client(address, issued);

        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, BoundTo(issued))).StatusCode);
    }

    [Fact]
    public async Task Allowed_mode_still_takes_unbound_tokens_with_or_without_a_certificate()
    {
        var (host, address) = Https("Allowed");
        await using var _ = host;
        using var withCertificate = certificates.Client(address, certificates.SelfSignedClient());
        using var without = certificates.Client(address);

        Assert.Equal(HttpStatusCode.OK, (await GetAsync(withCertificate, app.Token().Build())).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(without, app.Token().Build())).StatusCode);
    }

    [Fact]
    public async Task Required_mode_refuses_an_unbound_token_and_takes_a_bound_one()
    {
        var (host, address) = Https("Required");
        await using var _ = host;
        var mine = certificates.SelfSignedClient();
        using var client = certificates.Client(address, mine);

        await AssertRefusedAsync(await GetAsync(client, app.Token().Build()), address, MtlsFailure.TokenNotBound);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, BoundTo(mine))).StatusCode);
    }

    [Fact]
    public async Task Disabled_mode_refuses_a_bound_token_as_before_even_with_its_certificate()
    {
        var (host, address) = Https("Disabled");
        await using var _ = host;
        var mine = certificates.SelfSignedClient();
        // mTLS off: the endpoint asks for no certificate, so none is sent even when the client has one.
        using var client = certificates.Client(address, mine);

        await AssertRefusedAsync(await GetAsync(client, BoundTo(mine)), address, TokenFailure.UnsupportedBinding);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, app.Token().Build())).StatusCode);
    }

    public static TheoryData<string> MalformedThumbprints => new()
    {
        "\"abc\"",
        "\"bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2=\"",
        "\"bwcK0esc3ACC3DB2Y5/lESsXE8o9ltc05O89jdN+dg2\"",
        "\"bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2\"",
        "\"\"",
        "42",
        "null",
        "[\"bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg\"]",
    };

    [Theory]
    [MemberData(nameof(MalformedThumbprints))]
    public async Task A_malformed_thumbprint_is_refused_with_its_own_description(string thumbprint)
    {
        await using var host = app.With("Production", ("AUTH0_MTLS_MODE", "Allowed"));
        var token = app.Token().With("cnf", JsonNode.Parse($"{{\"x5t#S256\":{thumbprint}}}")).Build();

        await Problem.AssertInvalidTokenAsync(await host.CreateClient().GetWithTokenAsync("/api/private", token), MtlsFailure.MalformedThumbprint);
    }

    [Fact]
    public async Task A_token_bound_to_a_key_and_a_certificate_needs_both()
    {
        var (host, address) = Https("Allowed");
        await using var _ = host;
        using var key = DPoPKey.Es256();
        var mine = certificates.SelfSignedClient();
        var token = app.Token().With("cnf", new JsonObject { ["jkt"] = key.Thumbprint, [CertificateBinding.Member] = TestCertificates.Thumbprint(mine) }).Build();
        var url = new Uri(address, "/api/private").ToString();
        using var withCertificate = certificates.Client(address, mine);
        using var without = certificates.Client(address);

        async Task<HttpResponseMessage> DPoPAsync(HttpClient client)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/private");
            request.Headers.TryAddWithoutValidation("Authorization", $"DPoP {token}");
            request.Headers.TryAddWithoutValidation("DPoP", new DPoPProofBuilder(key, "GET", url, token).Build());
            return await client.SendAsync(request, Ct);
        }

        // The certificate without the proof: sent as a Bearer token, a DPoP-bound token is refused.
        var bearer = await GetAsync(withCertificate, token);
        Assert.Equal(HttpStatusCode.Unauthorized, bearer.StatusCode);
        Assert.Equal(DPoPFailure.BoundTokenAsBearer, JsonDocument.Parse(await bearer.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("detail").GetString());
        // The proof without the certificate.
        await AssertRefusedAsync(await DPoPAsync(without), address, MtlsFailure.NoCertificate, scheme: "DPoP");
        // Both.
        Assert.Equal(HttpStatusCode.OK, (await DPoPAsync(withCertificate)).StatusCode);
    }

    [Theory]
    [InlineData("Disabled", false)]
    [InlineData("Allowed", true)]
    [InlineData("Required", true)]
    public async Task The_resource_metadata_says_whether_bound_tokens_are_accepted(string mode, bool accepted)
    {
        await using var host = app.With("Production", ("AUTH0_MTLS_MODE", mode));
        var document = JsonDocument.Parse(await host.CreateClient().GetStringAsync("/.well-known/oauth-protected-resource", Ct)).RootElement;

        if (accepted)
            Assert.True(document.GetProperty("tls_client_certificate_bound_access_tokens").GetBoolean());
        else
            Assert.False(document.TryGetProperty("tls_client_certificate_bound_access_tokens", out _));
    }

    // Behind a TLS-terminating proxy.

    private (WebApplicationFactory<Program> Host, Uri Address) Proxied(string trustedProxy, params (string Key, string? Value)[] settings) =>
        BehindProxy(app.With("Production", [("AUTH0_MTLS_MODE", "Allowed"), ("ForwardedHeaders:Enabled", "true"), ("ForwardedHeaders:KnownProxies:0", trustedProxy), .. settings]));

    [Fact]
    public async Task A_trusted_proxy_forwards_the_certificate_in_Client_Cert()
    {
        var (host, address) = Proxied("127.0.0.1");
        await using var _ = host;
        var mine = certificates.SelfSignedClient();
        using var client = new HttpClient { BaseAddress = address };

        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, BoundTo(mine), ("Client-Cert", TestCertificates.ClientCertHeader(mine)))).StatusCode);
        await AssertRefusedAsync(await GetAsync(client, BoundTo(mine), ("Client-Cert", TestCertificates.ClientCertHeader(certificates.SelfSignedClient("another")))),
            address, MtlsFailure.WrongCertificate);
        await AssertRefusedAsync(await GetAsync(client, BoundTo(mine)), address, MtlsFailure.NoCertificate);
    }

    [Fact]
    public async Task A_trusted_proxy_may_forward_nginx_escaped_pem_under_its_own_header()
    {
        var (host, address) = Proxied("127.0.0.1", ("Auth0:Mtls:CertificateHeader", "X-SSL-Client-Cert"), ("Auth0:Mtls:CertificateHeaderFormat", "EscapedPem"));
        await using var _ = host;
        var mine = certificates.IssuedClient();
        using var client = new HttpClient { BaseAddress = address };

        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, BoundTo(mine), ("X-SSL-Client-Cert", TestCertificates.EscapedPem(mine)))).StatusCode);
        // The RFC 9440 header is not the configured one: it is not read.
        await AssertRefusedAsync(await GetAsync(client, BoundTo(mine), ("Client-Cert", TestCertificates.ClientCertHeader(mine))), address, MtlsFailure.NoCertificate);
    }

    [Fact]
    public async Task The_header_from_an_address_that_is_not_a_trusted_proxy_is_not_believed()
    {
        var (host, address) = Proxied("10.0.0.5");
        await using var _ = host;
        var mine = certificates.SelfSignedClient();
        using var client = new HttpClient { BaseAddress = address };

        await AssertRefusedAsync(await GetAsync(client, BoundTo(mine), ("Client-Cert", TestCertificates.ClientCertHeader(mine))), address, MtlsFailure.NoCertificate);
    }

    [Fact]
    public async Task Without_trusted_proxies_the_header_is_never_believed()
    {
        var host = app.With("Production", ("AUTH0_MTLS_MODE", "Allowed"));
        var (_, address) = BehindProxy(host);
        await using var __ = host;
        var mine = certificates.SelfSignedClient();
        using var client = new HttpClient { BaseAddress = address };

        await AssertRefusedAsync(await GetAsync(client, BoundTo(mine), ("Client-Cert", TestCertificates.ClientCertHeader(mine))), address, MtlsFailure.NoCertificate);
    }

    public static TheoryData<string, string> MalformedHeaders => new()
    {
        { ":not base64!:", MtlsFailure.MalformedForwardedCertificate },
        { "MIIBszCCAVmgAwIBAgIU", MtlsFailure.MalformedForwardedCertificate },
        { "::", MtlsFailure.MalformedForwardedCertificate },
        { ":AAAA:", MtlsFailure.MalformedForwardedCertificate },
        { ":MAA=:MAA=:", MtlsFailure.MalformedForwardedCertificate },
        { $":{Convert.ToBase64String(new byte[] { 0x30, 0x82, 0x10, 0x00, 0x01 })}:", MtlsFailure.MalformedForwardedCertificate },
        { $":{Convert.ToBase64String(new byte[13_000])}:", MtlsFailure.ForwardedCertificateTooLarge },
    };

    [Theory]
    [MemberData(nameof(MalformedHeaders))]
    public async Task A_malformed_or_oversized_forwarded_certificate_is_refused_clearly(string header, string description)
    {
        var (host, address) = Proxied("127.0.0.1");
        await using var _ = host;
        var mine = certificates.SelfSignedClient();
        using var client = new HttpClient { BaseAddress = address };

        await AssertRefusedAsync(await GetAsync(client, BoundTo(mine), ("Client-Cert", header)), address, description);
        // Read only when a bound token needs it: an unbound token on the same request is answered.
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, app.Token().Build(), ("Client-Cert", header))).StatusCode);
    }

    [Fact]
    public async Task Two_forwarded_certificates_are_malformed()
    {
        var (host, address) = Proxied("127.0.0.1");
        await using var _ = host;
        var mine = certificates.SelfSignedClient();
        using var client = new HttpClient { BaseAddress = address };

        await AssertRefusedAsync(await GetAsync(client, BoundTo(mine), ("Client-Cert", TestCertificates.ClientCertHeader(mine)), ("Client-Cert", TestCertificates.ClientCertHeader(mine))),
            address, MtlsFailure.MalformedForwardedCertificate);
    }

    [Fact]
    public async Task A_header_past_the_server_limit_gets_431_and_never_reaches_the_app()
    {
        var (host, address) = Proxied("127.0.0.1");
        await using var _ = host;
        var answer = await RawHttp.SendAsync(address, "GET", "/api/private", $"Authorization: Bearer {BoundTo(certificates.SelfSignedClient())}",
            $"Client-Cert: :{new string('A', 40_000)}:");

        Assert.Equal(431, answer.Status);
    }
}
