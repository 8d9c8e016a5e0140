using System.Diagnostics;
using System.Text.Json;
using MySecureApi.Infrastructure.Auth.Mtls;
using MySecureApi.Tests.Fixtures;

namespace MySecureApi.Tests.Auth;

/// <summary>
/// The round trip docs/tokens-and-dpop.md shows, as a user runs it: an HTTPS endpoint configured the standard ASP.NET
/// way (<c>Kestrel:Endpoints:Https:*</c> from the environment, PEM certificate and key), a certificate-bound development
/// token from <c>token --bind-certificate</c>, and curl with <c>--cert/--key</c>.
/// </summary>
public sealed class CertificateBoundRoundTripTests : IDisposable
{
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("mysecureapi-mtls-");
    private readonly TestCertificates certificates = new();

    public void Dispose()
    {
        certificates.Dispose();
        dir.Delete(recursive: true);
    }

    [Fact]
    public async Task Curl_with_the_bound_certificate_gets_in_and_without_it_does_not()
    {
        var (serverCertificate, serverKey) = TestCertificates.WritePem(certificates.Server, dir.FullName, "server");
        var (clientCertificate, clientKey) = TestCertificates.WritePem(certificates.SelfSignedClient(), dir.FullName, "client");
        var (otherCertificate, otherKey) = TestCertificates.WritePem(certificates.SelfSignedClient("other"), dir.FullName, "other");
        var authority = Path.Combine(dir.FullName, "authority.crt");
        await File.WriteAllTextAsync(authority, certificates.Authority.ExportCertificatePem(), Ct);
        var (http, https) = (AppProcess.FreeLoopbackPort(), AppProcess.FreeLoopbackPort());
        var environment = new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["DevIssuer__KeyPath"] = Path.Combine(dir.FullName, "issuer-key.pem"),
            ["PORT"] = http.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["AUTH0_MTLS_MODE"] = "Allowed",
            ["Kestrel__Endpoints__Http__Url"] = $"http://127.0.0.1:{http}",
            ["Kestrel__Endpoints__Https__Url"] = $"https://127.0.0.1:{https}",
            ["Kestrel__Endpoints__Https__Certificate__Path"] = serverCertificate,
            ["Kestrel__Endpoints__Https__Certificate__KeyPath"] = serverKey,
            ["Kestrel__Endpoints__Https__ClientCertificateMode"] = "AllowCertificate",
        };

        await using (var command = AppProcess.Start(dir.FullName, environment, "token", "--bind-certificate", clientCertificate))
        {
            var (exitCode, stdout, stderr) = await command.ExitAsync(TimeSpan.FromSeconds(30));
            Assert.True(exitCode == 0, stderr);
            environment["TOKEN"] = stdout.Trim();
        }
        await using var server = AppProcess.Start(dir.FullName, environment);
        (await server.WaitForAsync($"http://127.0.0.1:{http}/health/ready", TimeSpan.FromSeconds(60))).Dispose();
        var url = $"https://127.0.0.1:{https}/api/private";

        var (status, body) = await CurlAsync(url, environment["TOKEN"]!, authority, clientCertificate, clientKey);
        Assert.Equal(200, status);
        Assert.Contains("private endpoint", body, StringComparison.OrdinalIgnoreCase);

        (status, body) = await CurlAsync(url, environment["TOKEN"]!, authority, null, null);
        Assert.Equal(401, status);
        Assert.Equal(MtlsFailure.NoCertificate, JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString());

        (status, body) = await CurlAsync(url, environment["TOKEN"]!, authority, otherCertificate, otherKey);
        Assert.Equal(401, status);
        Assert.Equal(MtlsFailure.WrongCertificate, JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString());
    }

    /// <summary>curl against the API, trusting only the test authority; returns the status and the body.</summary>
    private static async Task<(int Status, string Body)> CurlAsync(string url, string token, string authority, string? certificate, string? key)
    {
        var start = new ProcessStartInfo("curl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-sS", "--max-time", "30", "--cacert", authority, "-H", $"Authorization: Bearer {token}", "-w", "\n%{http_code}", url })
            start.ArgumentList.Add(arg);
        if (certificate is not null)
        {
            start.ArgumentList.Add("--cert");
            start.ArgumentList.Add(certificate);
            start.ArgumentList.Add("--key");
            start.ArgumentList.Add(key!);
        }
        using var curl = Process.Start(start)!;
        var output = await curl.StandardOutput.ReadToEndAsync(Ct);
        var errors = await curl.StandardError.ReadToEndAsync(Ct);
        await curl.WaitForExitAsync(Ct);
        Assert.True(curl.ExitCode == 0, $"curl: {errors}");
        var split = output.LastIndexOf('\n');
        return (int.Parse(output[(split + 1)..], System.Globalization.CultureInfo.InvariantCulture), output[..split]);
    }
}
