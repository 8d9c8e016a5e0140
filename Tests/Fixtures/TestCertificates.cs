using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.IdentityModel.Tokens;

namespace MySecureApi.Tests.Fixtures;

/// <summary>
/// Certificates made at run time for mutual TLS: a test certificate authority, a server certificate it issues for
/// <c>localhost</c>/127.0.0.1, and client certificates (self-signed, as RFC 8705 §2.2 allows, or issued by the authority).
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private readonly List<X509Certificate2> made = [];

    public TestCertificates()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=MySecureApi test authority", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var now = DateTimeOffset.UtcNow;
        Authority = Keep(request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1)));
        Server = Issue("CN=localhost", serverAuth: true);
    }

    public X509Certificate2 Authority { get; }

    /// <summary>The API's HTTPS certificate (for <c>localhost</c> and 127.0.0.1), issued by <see cref="Authority"/>.</summary>
    public X509Certificate2 Server { get; }

    /// <summary>A self-signed client certificate with its key, usable by <see cref="SslStream"/> on Linux.</summary>
    public X509Certificate2 SelfSignedClient(string name = "client")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        var now = DateTimeOffset.UtcNow;
        return Keep(request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1)));
    }

    /// <summary>A client certificate issued by <see cref="Authority"/>.</summary>
    public X509Certificate2 IssuedClient(string name = "issued-client") => Issue($"CN={name}", serverAuth: false);

    /// <summary>RFC 8705 §3.1 <c>x5t#S256</c>: base64url SHA-256 of the DER.</summary>
    public static string Thumbprint(X509Certificate2 certificate) => Base64UrlEncoder.Encode(SHA256.HashData(certificate.RawData));

    /// <summary>RFC 9440 <c>Client-Cert</c>: the DER as a structured-field byte sequence.</summary>
    public static string ClientCertHeader(X509Certificate2 certificate) => $":{Convert.ToBase64String(certificate.RawData)}:";

    /// <summary>nginx's <c>$ssl_client_escaped_cert</c>: the PEM, URL-encoded.</summary>
    public static string EscapedPem(X509Certificate2 certificate) => Uri.EscapeDataString(certificate.ExportCertificatePem() + "\n");

    /// <summary>Writes the certificate and its key as PEM files (what <c>Kestrel:Endpoints:*:Certificate:Path/KeyPath</c> and curl read).</summary>
    public static (string Certificate, string Key) WritePem(X509Certificate2 certificate, string directory, string name)
    {
        var certificatePath = Path.Combine(directory, name + ".crt");
        var keyPath = Path.Combine(directory, name + ".key");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath);
    }

    /// <summary>
    /// An HTTPS client that trusts only <see cref="Authority"/> for the server (name checked) and presents
    /// <paramref name="clientCertificate"/>, if any.
    /// </summary>
    public HttpClient Client(Uri baseAddress, X509Certificate2? clientCertificate = null)
    {
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = clientCertificate is null ? null : new X509CertificateCollection { clientCertificate },
                LocalCertificateSelectionCallback = clientCertificate is null ? null : (_, _, _, _, _) => clientCertificate,
                RemoteCertificateValidationCallback = (_, certificate, _, errors) => TrustsServer(certificate, errors),
            },
        };
        return new HttpClient(handler) { BaseAddress = baseAddress };
    }

    private bool TrustsServer(X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
            return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    }

    private X509Certificate2 Issue(string subject, bool serverAuth)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(serverAuth ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        if (serverAuth)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName("localhost");
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
        }
        var now = DateTimeOffset.UtcNow;
        var serial = RandomNumberGenerator.GetBytes(16);
        using var issued = request.Create(Authority, now.AddMinutes(-4), now.AddHours(23), serial);
        return Keep(issued.CopyWithPrivateKey(key));
    }

    /// <summary>Through PKCS#12 and back: a certificate whose key lives in the platform store works for TLS everywhere.</summary>
    private X509Certificate2 Keep(X509Certificate2 certificate)
    {
        var loaded = X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null, X509KeyStorageFlags.Exportable);
        certificate.Dispose();
        made.Add(loaded);
        return loaded;
    }

    public void Dispose()
    {
        foreach (var certificate in made)
            certificate.Dispose();
    }
}
