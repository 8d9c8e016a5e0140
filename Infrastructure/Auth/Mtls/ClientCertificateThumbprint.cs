using System.Buffers;
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Text;

namespace MySecureApi.Infrastructure.Auth.Mtls;

/// <summary>
/// RFC 8705 §3.1: the base64url SHA-256 of the DER of the certificate the client presented — from a trusted proxy's
/// header when there is one (<see cref="ForwardedClientCertificate"/>), else from this connection's own TLS handshake.
/// The certificate's chain is not checked: the token's binding is the trust (RFC 8705 §2.2).
/// </summary>
internal static class ClientCertificateThumbprint
{
    public readonly record struct Result(string? Thumbprint, string? Failure);

    public static Result Of(HttpContext context, MtlsOptions options)
    {
        if (context.Features.Get<ForwardedClientCertificate>() is { } forwarded)
            return FromHeader(forwarded.Header.Count == 1 ? forwarded.Header[0]! : null, options.CertificateHeaderFormat);
        if (context.Connection.ClientCertificate is { } certificate)
            return new Result(CertificateBinding.ThumbprintOf(certificate.RawDataMemory.Span), null);
        return new Result(null, MtlsFailure.NoCertificate);
    }

    /// <summary>The thumbprint of the certificate in a proxy's header, or why there is none (too large, malformed).</summary>
    public static Result FromHeader(string? header, ForwardedCertificateFormat format)
    {
        if (header is null)
            return new Result(null, MtlsFailure.MalformedForwardedCertificate);
        if (header.Length > MtlsOptions.MaxHeaderLength)
            return new Result(null, MtlsFailure.ForwardedCertificateTooLarge);
        var base64 = format == ForwardedCertificateFormat.Rfc9440 ? ByteSequence(header) : PemBody(header);
        if (base64.Length == 0)
            return new Result(null, MtlsFailure.MalformedForwardedCertificate);
        var buffer = ArrayPool<byte>.Shared.Rent(base64.Length * 3 / 4 + 3);
        try
        {
            if (!Convert.TryFromBase64Chars(base64, buffer, out var length) || !IsOneDerSequence(buffer.AsSpan(0, length)))
                return new Result(null, MtlsFailure.MalformedForwardedCertificate);
            return new Result(CertificateBinding.ThumbprintOf(buffer.AsSpan(0, length)), null);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The base64 of an RFC 8941 byte sequence (<c>:…:</c>, optional surrounding spaces); empty when it is not one.</summary>
    private static ReadOnlySpan<char> ByteSequence(string header)
    {
        var value = header.AsSpan().Trim(' ');
        if (value.Length < 3 || value[0] != ':' || value[^1] != ':')
            return [];
        var inner = value[1..^1];
        foreach (var c in inner)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '='))
                return [];
        return inner;
    }

    /// <summary>The base64 of the one <c>CERTIFICATE</c> in a URL-encoded PEM (nginx's <c>$ssl_client_escaped_cert</c>); empty otherwise.</summary>
    private static ReadOnlySpan<char> PemBody(string header)
    {
        var pem = Uri.UnescapeDataString(header);
        if (!PemEncoding.TryFind(pem, out var fields) || !pem.AsSpan()[fields.Label].SequenceEqual("CERTIFICATE"))
            return [];
        return pem.AsSpan()[fields.Base64Data];
    }

    /// <summary>A certificate is one DER SEQUENCE filling the bytes; anything else is not a certificate.</summary>
    private static bool IsOneDerSequence(ReadOnlySpan<byte> der) =>
        AsnDecoder.TryReadEncodedValue(der, AsnEncodingRules.DER, out var tag, out _, out _, out var consumed)
        && tag == Asn1Tag.Sequence && consumed == der.Length;

    /// <summary>Compares two thumbprints in constant time (their length is public: always 43 characters).</summary>
    public static bool SameThumbprint(string expected, string actual) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(actual));
}
