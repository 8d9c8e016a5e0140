using System.Buffers;
using Microsoft.IdentityModel.JsonWebTokens;

namespace MySecureApi.Infrastructure.Auth.Tokens;

/// <summary>
/// Recognises the two tokens clients most often send by mistake, so that the answer says what the token is: an
/// encrypted or opaque one (Auth0 issues these when the client asked for no <c>audience</c>) and an ID token.
/// </summary>
internal static class TokenKind
{
    private static readonly SearchValues<char> OpaqueChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_~+/=");

    /// <summary>
    /// <see cref="TokenFailure.EncryptedOrOpaque"/> for a compact JWE (RFC 7516 §7.1: five parts, a protected header
    /// with <c>enc</c>) or a token of base64/token68 characters without a dot; null for anything else, which the JWS
    /// rules judge (and call malformed).
    /// </summary>
    public static string? NotAJws(string token) => token.AsSpan().Count('.') switch
    {
        0 when !token.AsSpan().ContainsAnyExcept(OpaqueChars) => TokenFailure.EncryptedOrOpaque,
        4 when IsJwe(token) => TokenFailure.EncryptedOrOpaque,
        _ => null,
    };

    private static bool IsJwe(string token)
    {
        try
        {
            var jwe = new JsonWebToken(token);
            return jwe.IsEncrypted && !string.IsNullOrEmpty(jwe.Enc);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or System.Text.Json.JsonException)
        {
            return false;
        }
    }

    /// <summary>
    /// An OpenID Connect ID token: it carries <c>nonce</c> or <c>at_hash</c> (OIDC Core §2, §3.1.3.6), or its only
    /// audience is the client it was issued to (<c>azp</c>). Read before the signature is checked: it only names the
    /// failure, it never lets a token through.
    /// </summary>
    public static bool IsIdToken(JsonWebToken token)
    {
        if (token.TryGetPayloadValue<object>("nonce", out _) || token.TryGetPayloadValue<object>("at_hash", out _))
            return true;
        using var audiences = token.Audiences.GetEnumerator();
        return token.TryGetPayloadValue<string>("azp", out var azp) && azp.Length > 0
               && audiences.MoveNext() && audiences.Current == azp && !audiences.MoveNext();
    }

    /// <summary>What the operator reads in the log next to the client's 401.</summary>
    public const string OperatorHint = "request the API's audience ({Audience}) when getting the token, and send the access token";
}
