using System.Net;
using FastEndpoints;
using Microsoft.Extensions.DependencyInjection;
using MySecureApi.Features.Health.GetReady;
using MySecureApi.Infrastructure.Auth.Keys;
using MySecureApi.Tests.Fixtures;

namespace MySecureApi.Tests.Features.Health;

public sealed class GetReadyTests(AppFixture app)
{
    [Fact]
    public async Task Ready_once_the_signing_keys_are_loaded()
    {
        using var issuer = new TestIssuer();
        await using var host = app.WithIssuer(issuer, null);
        var client = host.CreateClient();
        await Eventually.TrueAsync(() => host.Services.GetRequiredService<TrustedIssuers>().All[0].HasKeys, "keys loaded");

        var (response, result) = await client.GETAsync<Endpoint, Response>();

        await Ok.AssertAsync(response, """{"status":"ready","issuers":{"https://tenant.test.local/":"keys loaded"},"database":"connected"}""");
        Assert.Equal("ready", result.Status);
        Assert.Equal(new Dictionary<string, string> { ["https://tenant.test.local/"] = "keys loaded" }, result.Issuers);
        Assert.Null(result.Redis);
        Assert.Equal("connected", result.Database);
    }

    [Fact]
    public async Task Not_ready_before_any_key_set_with_503_and_retry_after()
    {
        using var issuer = new TestIssuer { Fault = IssuerFault.Http500 };
        await using var host = app.WithIssuer(issuer, null, ("Auth0:KeySet:BackchannelTimeoutSeconds", "1"));
        var client = host.CreateClient();
        await Eventually.TrueAsync(() => issuer.DiscoveryRequests > 0 && !host.Services.GetRequiredService<TrustedIssuers>().All[0].Fetching, "first attempt failed");

        var (response, _) = await client.GETAsync<Endpoint, Response>();

        await Problem.AssertAsync(response, HttpStatusCode.ServiceUnavailable, "temporarily_unavailable", "The service is temporarily unavailable");
        Assert.True(int.Parse(response.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
    }

    [Fact]
    public async Task An_unreachable_redis_is_reported_but_does_not_make_the_instance_unready()
    {
        using var issuer = new TestIssuer();
        await using var host = app.WithIssuer(issuer, null, ("REDIS_URL", $"127.0.0.1:{AppProcess.FreeLoopbackPort()}"));
        var client = host.CreateClient();
        await Eventually.TrueAsync(() => host.Services.GetRequiredService<TrustedIssuers>().All[0].HasKeys, "keys loaded");

        var (response, result) = await client.GETAsync<Endpoint, Response>();

        await Ok.AssertAsync(response, """{"status":"ready","issuers":{"https://tenant.test.local/":"keys loaded"},"redis":"unavailable","database":"connected"}""");
        Assert.Equal("unavailable", result.Redis);
    }
}
