using System.Net;
using Microsoft.Extensions.Options;
using MySecureApi.Tests.Infrastructure;

namespace MySecureApi.Tests.Hosting;

/// <summary>The seed's variable names and their <c>Auth0:*</c> equivalents, through the in-memory host.</summary>
public sealed class ConfigurationTests(AppFixture app)
{
    private async Task<HttpStatusCode> PrivateStatusAsync(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> host)
    {
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", app.Token().Build());
        return (await client.GetAsync("/api/private", TestContext.Current.CancellationToken)).StatusCode;
    }

    [Theory]
    [InlineData("https://tenant.test.local/")]
    [InlineData("https://tenant.test.local")]
    [InlineData("tenant.test.local/")]
    [InlineData("  tenant.test.local  ")]
    public async Task Domain_with_scheme_or_trailing_slash_is_normalised(string domain)
    {
        await using var host = app.With("Production", ("AUTH0_DOMAIN", domain));

        Assert.Equal(HttpStatusCode.OK, await PrivateStatusAsync(host));
    }

    [Fact]
    public async Task Appsettings_keys_are_used_when_the_variables_are_absent()
    {
        await using var host = app.With("Production",
            ("AUTH0_DOMAIN", null), ("AUTH0_AUDIENCE", null),
            ("Auth0:Domain", "tenant.test.local"), ("Auth0:Audience", TokenBuilder.Audience));

        Assert.Equal(HttpStatusCode.OK, await PrivateStatusAsync(host));
    }

    [Fact]
    public async Task Variables_win_over_appsettings_keys()
    {
        await using var host = app.With("Production", ("Auth0:Audience", "https://stale.example.com"));

        Assert.Equal(HttpStatusCode.OK, await PrivateStatusAsync(host));
    }

    [Fact]
    public async Task Clock_tolerance_is_configurable()
    {
        await using var host = app.With("Production", ("Auth0:ClockToleranceSeconds", "0"));
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", app.Token().ExpiresIn(TimeSpan.FromSeconds(-5)).Build());

        var response = await client.GetAsync("/api/private", TestContext.Current.CancellationToken);

        await Problem.AssertInvalidTokenAsync(response, MySecureApi.Infrastructure.Auth.TokenFailure.Expired);
    }

    [Theory]
    [InlineData(null, "AUTH0_DOMAIN is not set")]
    [InlineData("not a domain", "AUTH0_DOMAIN is not a host name")]
    [InlineData("https://tenant.example.com/path", "AUTH0_DOMAIN is not a host name")]
    public async Task Bad_domain_stops_startup_outside_development(string? domain, string message)
    {
        await using var host = app.With("Production", ("AUTH0_DOMAIN", domain));

        var error = Assert.Throws<OptionsValidationException>(() => host.CreateClient());

        Assert.StartsWith(message, error.Message);
        Assert.Contains("e.g. AUTH0_DOMAIN=dev-abc123.us.auth0.com", error.Message);
    }

    [Fact]
    public async Task Missing_audience_stops_startup_outside_development()
    {
        await using var host = app.With("Production", ("AUTH0_AUDIENCE", null));

        var error = Assert.Throws<OptionsValidationException>(() => host.CreateClient());

        Assert.StartsWith("AUTH0_AUDIENCE is not set", error.Message);
    }

    [Fact]
    public async Task Symmetric_algorithm_in_the_allow_list_stops_startup()
    {
        await using var host = app.With("Production", ("Auth0:Algorithms:0", "HS256"));

        var error = Assert.Throws<OptionsValidationException>(() => host.CreateClient());

        Assert.StartsWith("Auth0:Algorithms may only list asymmetric algorithms", error.Message);
    }
}
