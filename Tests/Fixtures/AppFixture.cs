using System.Net.Http.Headers;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using MySecureApi.Tests.Fixtures;

[assembly: AssemblyFixture(typeof(AppFixture))]

namespace MySecureApi.Tests.Fixtures;

/// <summary>
/// One in-memory host per test assembly (FastEndpoints.Testing's <c>AppFixture</c>, recreated over
/// <see cref="WebApplicationFactory{TEntryPoint}"/>), configured for <see cref="TestIssuer"/>'s tenant.
/// </summary>
public sealed class AppFixture : WebApplicationFactory<Program>
{
    public TestIssuer Issuer { get; } = new();

    static AppFixture()
    {
        // Some helpers wait on real processes (redis-server, postgres, the app itself) synchronously; with many classes
        // running in parallel on two cores, a thread pool that grows one thread at a time would delay the apps' own
        // background work (key fetches, migrations) past the tests' deadlines.
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 64), Math.Max(io, 64));
    }

    private static readonly string SqlitePath = TestFiles.NewSqlitePath("fixture-");

    /// <summary>A token exactly as Auth0 issues it, signed by the tenant's published key.</summary>
    public TokenBuilder Token() => new(Issuer.Key);

    public HttpClient Client(string? token = null)
    {
        var client = CreateClient();
        if (token is not null)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Another host on the same tenant with extra settings (environment, CORS origins, token rules…).</summary>
    public WebApplicationFactory<Program> With(string environment, params (string Key, string? Value)[] settings) =>
        WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment(environment);
            foreach (var (key, value) in settings)
                builder.UseSetting(key, value);
        });

    /// <summary>Another host on its own issuer (faults, rotation) and, optionally, a controllable clock.</summary>
    public WebApplicationFactory<Program> WithIssuer(TestIssuer issuer, TimeProvider? time, params (string Key, string? Value)[] settings) =>
        WithWebHostBuilder(builder =>
        {
            foreach (var (key, value) in settings)
                builder.UseSetting(key, value);
            builder.ConfigureTestServices(services =>
            {
                services.Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, o => o.BackchannelHttpHandler = issuer.Handler);
                if (time is not null)
                    services.AddSingleton(time);
            });
        });

    /// <summary>
    /// Another host trusting several tenants (<c>AUTH0_DOMAIN</c> lists the <paramref name="trusted"/> ones), all reachable
    /// through <paramref name="network"/>, which may also serve tenants that are not trusted.
    /// </summary>
    public WebApplicationFactory<Program> WithIssuers(IssuerRouter network, TestIssuer[] trusted, params (string Key, string? Value)[] settings) =>
        WithWebHostBuilder(builder =>
        {
            builder.UseSetting("AUTH0_DOMAIN", string.Join(",", trusted.Select(i => new Uri(i.Url).Authority)));
            foreach (var (key, value) in settings)
                builder.UseSetting(key, value);
            builder.ConfigureTestServices(services =>
                services.Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, o => o.BackchannelHttpHandler = network));
        });

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("AUTH0_DOMAIN", TestIssuer.Domain);
        builder.UseSetting("AUTH0_AUDIENCE", TokenBuilder.Audience);
        // The hosts of the assembly share one SQLite file of their own (never the repository's data/); tests that
        // write messages use a database of their own (MessagesDatabase).
        builder.UseSetting("Database:SqlitePath", SqlitePath);
        // Every in-memory test request shares one client address; the limits themselves are tested on hosts of their own.
        builder.UseSetting("RateLimiting:Ip:PermitLimit", "1000000");
        builder.UseSetting("RateLimiting:Subject:PermitLimit", "1000000");
        // Hosts are disposed at once: the readiness delay for load balancers is tested on a process of its own.
        builder.UseSetting("Shutdown:ReadinessDelaySeconds", "0");
        builder.ConfigureTestServices(services => services.Configure<JwtBearerOptions>(
            JwtBearerDefaults.AuthenticationScheme, o => o.BackchannelHttpHandler = Issuer.Handler));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Issuer.Dispose();
        TestFiles.DeleteRun();
    }
}
