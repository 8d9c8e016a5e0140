using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MySecureApi.Tests.Fixtures;

namespace MySecureApi.Tests.Hosting;

/// <summary>The seed's variable names and their <c>Auth0:*</c> equivalents, through the in-memory host.</summary>
public sealed class ConfigurationTests(AppFixture app)
{
    private async Task<HttpStatusCode> PrivateStatusAsync(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> host)
    {
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", app.Token().Build());
        return (await client.GetAsync("/api/private", Ct)).StatusCode;
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

        var response = await client.GetAsync("/api/private", Ct);

        await Problem.AssertInvalidTokenAsync(response, MySecureApi.Infrastructure.Auth.Tokens.TokenFailure.Expired);
    }

    [Theory]
    [InlineData(null, "AUTH0_DOMAIN is not set")]
    [InlineData("not a domain", "AUTH0_DOMAIN is not a host name")]
    [InlineData("https://tenant.example.com/path", "AUTH0_DOMAIN is not a host name")]
    [InlineData("tenant.example.com:0", "AUTH0_DOMAIN is not a host name")]
    [InlineData("tenant.example.com:65536", "AUTH0_DOMAIN is not a host name")]
    [InlineData("tenant.example.com:https", "AUTH0_DOMAIN is not a host name")]
    [InlineData("tenant.example.com:", "AUTH0_DOMAIN is not a host name")]
    [InlineData("user@tenant.example.com", "AUTH0_DOMAIN is not a host name")]
    [InlineData("http://tenant.example.com", "AUTH0_DOMAIN is not a host name")]
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

    [Theory]
    [InlineData("tenant.test.local:8443")]
    [InlineData("https://tenant.test.local:8443/")]
    public async Task Domain_with_a_port_points_at_that_port(string domain)
    {
        using var issuer = new TestIssuer("tenant.test.local:8443");
        await using var host = app.WithIssuer(issuer, null, ("AUTH0_DOMAIN", domain));
        var client = host.CreateClient();
        var token = new TokenBuilder(issuer.Key).With("iss", "https://tenant.test.local:8443/").Build();

        var response = await client.GetWithTokenAsync("/api/private", token);
        var defaultPortToken = await client.GetWithTokenAsync("/api/private", new TokenBuilder(issuer.Key).Build());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Problem.AssertInvalidTokenAsync(defaultPortToken, MySecureApi.Infrastructure.Auth.Tokens.TokenFailure.InvalidIssuer);
        Assert.Equal(["https://tenant.test.local:8443/.well-known/openid-configuration", "https://tenant.test.local:8443/.well-known/jwks.json"], issuer.Requested);
    }

    [Fact]
    public async Task Domain_with_port_443_is_the_plain_domain()
    {
        await using var host = app.With("Production", ("AUTH0_DOMAIN", "tenant.test.local:443"));

        Assert.Equal(HttpStatusCode.OK, await PrivateStatusAsync(host));
    }

    public static TheoryData<string, string, string> OutOfRangeSettings => new()
    {
        { "Auth0:DPoP:ReplayCacheSize", "0", "Auth0:DPoP:ReplayCacheSize must be between 1 and 10000000, e.g. Auth0:DPoP:ReplayCacheSize=100000" },
        { "Auth0:DPoP:ReplayCachePerKeyLimit", "0", "Auth0:DPoP:ReplayCachePerKeyLimit must be between 1 and 100000, e.g. Auth0:DPoP:ReplayCachePerKeyLimit=2000" },
        { "Auth0:DPoP:MaxAgeSeconds", "0", "Auth0:DPoP:MaxAgeSeconds must be between 1 and 3600, e.g. Auth0:DPoP:MaxAgeSeconds=300" },
        { "Auth0:DPoP:FutureSkewSeconds", "-1", "Auth0:DPoP:FutureSkewSeconds must be between 0 and 300, e.g. Auth0:DPoP:FutureSkewSeconds=30" },
        { "Auth0:TokenCache:MaxEntries", "0", "Auth0:TokenCache:MaxEntries must be between 1 and 10000000, e.g. Auth0:TokenCache:MaxEntries=10000" },
        { "Auth0:TokenCache:MaxLifetimeSeconds", "-5", "Auth0:TokenCache:MaxLifetimeSeconds must be between 1 and 86400, e.g. Auth0:TokenCache:MaxLifetimeSeconds=600" },
        { "Auth0:KeySet:BackchannelTimeoutSeconds", "0", "Auth0:KeySet:BackchannelTimeoutSeconds must be between 1 and 120, e.g. Auth0:KeySet:BackchannelTimeoutSeconds=10" },
        { "Auth0:KeySet:RefreshIntervalMinutes", "0", "Auth0:KeySet:RefreshIntervalMinutes must be between 1 and 1440, e.g. Auth0:KeySet:RefreshIntervalMinutes=15" },
        { "Auth0:KeySet:UnknownKeyCooldownSeconds", "-1", "Auth0:KeySet:UnknownKeyCooldownSeconds must be between 0 and 3600, e.g. Auth0:KeySet:UnknownKeyCooldownSeconds=30" },
        { "Auth0:KeySet:MinRetrySeconds", "0", "Auth0:KeySet:MinRetrySeconds must be between 1 and 3600, e.g. Auth0:KeySet:MinRetrySeconds=5" },
        { "Auth0:KeySet:MaxRetrySeconds", "4", "Auth0:KeySet:MaxRetrySeconds must be between 5 and 86400, e.g. Auth0:KeySet:MaxRetrySeconds=300" },
        { "RateLimiting:Ip:PermitLimit", "0", "RateLimiting:Ip:PermitLimit must be between 1 and 1000000000, e.g. RateLimiting:Ip:PermitLimit=600" },
        { "RateLimiting:Subject:WindowSeconds", "0", "RateLimiting:Subject:WindowSeconds must be between 1 and 86400, e.g. RateLimiting:Subject:WindowSeconds=60" },
        { "RateLimiting:Ip:SegmentsPerWindow", "0", "RateLimiting:Ip:SegmentsPerWindow must be between 1 and 1000, e.g. RateLimiting:Ip:SegmentsPerWindow=6" },
        { "RateLimiting:Subject:Algorithm", "7", "RateLimiting:Subject:Algorithm must be FixedWindow, SlidingWindow or TokenBucket, e.g. RateLimiting:Subject:Algorithm=SlidingWindow" },
        { "ALLOWED_ORIGIN", "https://app.example.com/path", "ALLOWED_ORIGIN has \"https://app.example.com/path\", not an origin: use scheme://host[:port] without a path, e.g. ALLOWED_ORIGIN=https://app.example.com" },
        { "REDIS_URL", "redis://", "REDIS_URL is not a Redis location: use redis://[:password@]host:port, e.g. REDIS_URL=redis://127.0.0.1:6379" },
        { "REDIS_URL", "notakeyword=1", "REDIS_URL is not a Redis location: use redis://[:password@]host:port, e.g. REDIS_URL=redis://127.0.0.1:6379" },
        { "DATABASE_URL", "mysql://db/messages", "DATABASE_URL is not a PostgreSQL URL: set it like DATABASE_URL=postgres://user:password@db.example.com:5432/messages" },
        { "Database:CommandTimeoutSeconds", "0", "Database:CommandTimeoutSeconds must be between 1 and 300, e.g. Database:CommandTimeoutSeconds=5" },
        { "ForwardedHeaders:Enabled", "true", "ForwardedHeaders:Enabled is true but no proxy is named, so every client could forge its address: set ForwardedHeaders:KnownProxies:0 (e.g. 10.0.0.5) or ForwardedHeaders:KnownNetworks:0 (e.g. 10.0.0.0/8)" },
    };

    [Theory]
    [MemberData(nameof(OutOfRangeSettings))]
    public async Task A_setting_out_of_range_stops_startup_with_one_line_naming_it(string key, string value, string message)
    {
        await using var host = app.With("Production", (key, value));

        var error = Assert.Throws<OptionsValidationException>(() => host.CreateClient());

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public async Task Token_bucket_needs_tokens_per_period()
    {
        await using var host = app.With("Production", ("RateLimiting:Ip:Algorithm", "TokenBucket"));

        var error = Assert.Throws<OptionsValidationException>(() => host.CreateClient());

        Assert.Equal("RateLimiting:Ip:TokensPerPeriod must be between 1 and 1000000000, e.g. RateLimiting:Ip:TokensPerPeriod=600", error.Message);
    }

    [Fact]
    public async Task Allowed_origin_variable_replaces_the_whole_configured_list()
    {
        await using var host = app.With("Production",
            ("Cors:AllowedOrigins:0", "https://a.example"), ("Cors:AllowedOrigins:1", "https://b.example"), ("Cors:AllowedOrigins:2", "https://c.example"),
            ("ALLOWED_ORIGIN", "https://x.example, https://y.example"));
        var options = host.Services.GetRequiredService<IOptions<MySecureApi.Infrastructure.Cors.CorsOriginsOptions>>().Value;

        Assert.Equal(["https://x.example", "https://y.example"], options.AllowedOrigins);
    }

    [Theory]
    [InlineData("AUTH0_DPOP_MODE", "required", "Required")]
    [InlineData("AUTH0_DPOP_MODE", "  ", "Allowed")]
    public async Task Seed_variables_bind_onto_their_sections(string variable, string value, string mode)
    {
        await using var host = app.With("Production", (variable, value));
        var options = host.Services.GetRequiredService<IOptions<MySecureApi.Infrastructure.Auth.DPoP.DPoPOptions>>().Value;

        Assert.Equal(mode, options.Mode.ToString());
    }

    [Theory]
    [InlineData("required", "Required")]
    [InlineData("Allowed", "Allowed")]
    [InlineData("  ", "Disabled")]
    public async Task Mtls_mode_variable_binds_onto_its_section(string value, string mode)
    {
        await using var host = app.With("Production", ("AUTH0_MTLS_MODE", value));
        var options = host.Services.GetRequiredService<IOptions<MySecureApi.Infrastructure.Auth.Mtls.MtlsOptions>>().Value;

        Assert.Equal(mode, options.Mode.ToString());
    }

    [Theory]
    [InlineData("Auth0:Mtls:Mode", "7", "AUTH0_MTLS_MODE must be Disabled, Allowed or Required")]
    [InlineData("Auth0:Mtls:CertificateHeaderFormat", "9", "Auth0:Mtls:CertificateHeaderFormat must be Rfc9440 or EscapedPem")]
    [InlineData("Auth0:Mtls:CertificateHeader", "Authorization", "Auth0:Mtls:CertificateHeader must be a header name of its own")]
    [InlineData("Auth0:Mtls:CertificateHeader", "X-Forwarded-Client-Cert", "Auth0:Mtls:CertificateHeader must be a header name of its own")]
    [InlineData("Auth0:Mtls:CertificateHeader", "Client Cert", "Auth0:Mtls:CertificateHeader must be a header name of its own")]
    [InlineData("Auth0:Mtls:CertificateHeader", "", "Auth0:Mtls:CertificateHeader must be a header name of its own")]
    public async Task Bad_mtls_settings_stop_startup(string key, string value, string message)
    {
        await using var host = app.With("Production", (key, value));

        var error = Assert.Throws<OptionsValidationException>(() => host.CreateClient());

        Assert.StartsWith(message, error.Message);
    }
}
