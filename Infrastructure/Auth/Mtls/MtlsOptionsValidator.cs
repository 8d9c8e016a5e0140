using Microsoft.Extensions.Options;
using MySecureApi.Infrastructure.Hosting;

namespace MySecureApi.Infrastructure.Auth.Mtls;

/// <summary>Refuses to start with certificate-binding settings that cannot work, naming the key and an example.</summary>
internal sealed class MtlsOptionsValidator : IValidateOptions<MtlsOptions>
{
    /// <summary>Headers that already mean something else: a proxy's certificate must not be read from them.</summary>
    private static readonly string[] Reserved = ["Authorization", "DPoP", "Cookie", "Host", "Content-Type", "Content-Length"];

    public ValidateOptionsResult Validate(string? name, MtlsOptions options)
    {
        if (!Enum.IsDefined(options.Mode))
            return ValidateOptionsResult.Fail($"{SeedVariables.MtlsMode} must be Disabled, Allowed or Required, e.g. {SeedVariables.MtlsMode}=Allowed");
        if (!Enum.IsDefined(options.CertificateHeaderFormat))
            return ValidateOptionsResult.Fail("Auth0:Mtls:CertificateHeaderFormat must be Rfc9440 or EscapedPem, e.g. Auth0:Mtls:CertificateHeaderFormat=EscapedPem");
        var header = options.CertificateHeader;
        if (string.IsNullOrEmpty(header) || header.Length > 64 || !header.All(IsTokenChar)
            || Reserved.Contains(header, StringComparer.OrdinalIgnoreCase) || header.StartsWith("X-Forwarded-", StringComparison.OrdinalIgnoreCase))
            return ValidateOptionsResult.Fail("Auth0:Mtls:CertificateHeader must be a header name of its own (letters, digits, '-'), e.g. Auth0:Mtls:CertificateHeader=Client-Cert");
        return ValidateOptionsResult.Success;
    }

    private static bool IsTokenChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_';
}
