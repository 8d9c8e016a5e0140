using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MySecureApi.Infrastructure.Auth.Mtls;

/// <summary>
/// RFC 8705 §3: a certificate-bound token (<c>cnf["x5t#S256"]</c>) is used only with the certificate it is bound to.
/// Checked on every request that carries one, whether the token was validated now or answered from the cache.
/// </summary>
public static class CertificateBinding
{
    public const string Member = "x5t#S256";

    /// <summary>Length of a base64url SHA-256 thumbprint without padding.</summary>
    public const int ThumbprintLength = 43;

    /// <summary>Whether <paramref name="thumbprint"/> can be a base64url SHA-256 thumbprint (43 characters of the alphabet).</summary>
    public static bool IsWellFormed(ReadOnlySpan<char> thumbprint)
    {
        if (thumbprint.Length != ThumbprintLength)
            return false;
        foreach (var c in thumbprint)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
                return false;
        return true;
    }

    /// <summary>The token's <c>cnf["x5t#S256"]</c>, or null when it is not certificate-bound.</summary>
    public static string? BoundThumbprint(JsonWebToken token)
    {
        if (!token.TryGetClaim("cnf", out var cnf))
            return null;
        try
        {
            using var json = JsonDocument.Parse(cnf.Value);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty(Member, out var x5t)
                   && x5t.ValueKind == JsonValueKind.String ? x5t.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>RFC 8705 §3.1 <c>x5t#S256</c> of a certificate: the base64url SHA-256 of its DER encoding.</summary>
    public static string ThumbprintOf(ReadOnlySpan<byte> der) => Base64UrlEncoder.Encode(SHA256.HashData(der));

    /// <summary>
    /// Null when the request presents the certificate <paramref name="bound"/> names; otherwise why not. The thumbprint
    /// is a validated token's, whose form the token rules have already checked.
    /// </summary>
    public static string? Check(HttpContext context, string bound, MtlsOptions options)
    {
        var presented = ClientCertificateThumbprint.Of(context, options);
        if (presented.Thumbprint is not { } thumbprint)
            return presented.Failure;
        return ClientCertificateThumbprint.SameThumbprint(bound, thumbprint) ? null : MtlsFailure.WrongCertificate;
    }
}
