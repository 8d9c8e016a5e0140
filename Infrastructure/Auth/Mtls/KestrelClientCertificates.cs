using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Options;

namespace MySecureApi.Infrastructure.Auth.Mtls;

/// <summary>
/// With certificate-bound tokens on, Kestrel's HTTPS endpoints ask for a client certificate and take any the client
/// has (RFC 8705 §2.2: self-signed ones too): the token's binding decides, not a chain. An endpoint's own
/// <c>Kestrel:Endpoints:&lt;name&gt;:ClientCertificateMode</c> still wins; with mTLS off nothing changes.
/// </summary>
internal sealed class KestrelClientCertificates(IOptions<MtlsOptions> mtls) : IConfigureOptions<KestrelServerOptions>
{
    public void Configure(KestrelServerOptions options)
    {
        if (!mtls.Value.AcceptsBound)
            return;
        options.ConfigureHttpsDefaults(https =>
        {
            https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
            https.ClientCertificateValidation = static (_, _, _) => true;
        });
    }
}
