using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace MySecureApi.Tests.Fixtures;

/// <summary>
/// A <see cref="TestIssuer"/> served over real HTTPS on 127.0.0.1 and a free port, for the app run as its own process:
/// <c>AUTH0_DOMAIN=localhost:{port}</c>, and the app trusts the run-time certificate through <c>SSL_CERT_FILE</c>.
/// </summary>
public sealed class LoopbackIssuer : IAsyncDisposable
{
    private readonly WebApplication server;
    private readonly string directory = Directory.CreateTempSubdirectory("mysecureapi-issuer-").FullName;

    private LoopbackIssuer(int port)
    {
        Port = port;
        Issuer = new TestIssuer($"localhost:{port}");
        using var certificate = MakeCertificate();
        File.WriteAllText(CertificateFile, certificate.ExportCertificatePem());
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var pfx = X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, listen => listen.UseHttps(pfx)));
        server = builder.Build();
        server.Run(async context =>
        {
            var uri = new Uri($"https://localhost:{port}{context.Request.Path}{context.Request.QueryString}");
            using var answer = await Issuer.AnswerFor(uri, context.RequestAborted);
            context.Response.StatusCode = (int)answer.StatusCode;
            context.Response.ContentType = answer.Content.Headers.ContentType?.ToString();
            await answer.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
        });
    }

    public static async Task<LoopbackIssuer> StartAsync()
    {
        var issuer = new LoopbackIssuer(AppProcess.FreeLoopbackPort());
        await issuer.server.StartAsync();
        return issuer;
    }

    public int Port { get; }

    public TestIssuer Issuer { get; }

    /// <summary>The PEM of the self-signed certificate, for the app's <c>SSL_CERT_FILE</c>.</summary>
    public string CertificateFile => Path.Combine(directory, "issuer.crt");

    /// <summary>The settings that point a process at this issuer.</summary>
    public IReadOnlyDictionary<string, string?> Environment => new Dictionary<string, string?>
    {
        ["AUTH0_DOMAIN"] = $"localhost:{Port}",
        ["AUTH0_AUDIENCE"] = TokenBuilder.Audience,
        ["SSL_CERT_FILE"] = CertificateFile,
    };

    /// <summary>
    /// The settings of an app process in Production on <paramref name="port"/> that trusts this issuer, with its messages
    /// database in <paramref name="work"/>, plus <paramref name="extra"/>.
    /// </summary>
    public Dictionary<string, string?> ProductionApp(int port, string work, params (string Key, string? Value)[] extra)
    {
        var settings = new Dictionary<string, string?>(Environment)
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Database__SqlitePath"] = Path.Combine(work, "messages.db"),
        };
        foreach (var (key, value) in extra)
            settings[key] = value;
        return settings;
    }

    /// <summary>A token as this tenant issues it.</summary>
    public TokenBuilder Token() => Issuer.Token();

    internal static X509Certificate2 MakeCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
    }

    public async ValueTask DisposeAsync()
    {
        await server.StopAsync();
        await server.DisposeAsync();
        Issuer.Dispose();
        Directory.Delete(directory, recursive: true);
    }
}
