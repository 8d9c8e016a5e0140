using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using MySecureApi.Infrastructure.Auth.DPoP;
using MySecureApi.Infrastructure.Auth.Settings;

namespace MySecureApi.Infrastructure.Auth.Tokens;

/// <summary>
/// Finds the access token the way RFC 6750 §2 and RFC 9449 §7 describe it: the <c>Authorization</c> header (scheme
/// <c>Bearer</c> or <c>DPoP</c> as the mode allows, case-insensitive, one or more spaces, one token), exactly one
/// <c>DPoP</c> proof header with the DPoP scheme, and — only when enabled — the query string or a form-encoded body.
/// Returns null when there are no credentials for an accepted scheme at all.
/// </summary>
internal static class CredentialsReader
{
    public const string BearerScheme = "Bearer";
    public const string DPoPScheme = "DPoP";
    private const string ParameterName = "access_token";

    /// <summary>Item under which the request's scheme (<c>Bearer</c> or <c>DPoP</c>) is kept for the challenge.</summary>
    public const string SchemeItem = "MySecureApi.AuthScheme";

    /// <exception cref="MalformedCredentialsException">the credentials are present but malformed</exception>
    public static async ValueTask<Credentials?> ReadAsync(HttpRequest request, Auth0Settings options, DPoPOptions dpop)
    {
        var found = FromHeader(request.Headers.Authorization, dpop);
        if (dpop.AcceptsBearer && options.AllowQueryStringToken && Single(request.Query[ParameterName]) is { } queryToken)
            found = found is null ? (BearerScheme, queryToken.AsMemory()) : throw new MalformedCredentialsException(TokenFailure.MultipleLocations);
        if (dpop.AcceptsBearer && options.AllowFormBodyToken && IsFormBodyCandidate(request))
        {
            if (Single((await ReadFormAsync(request))[ParameterName]) is { } formToken)
                found = found is null ? (BearerScheme, formToken.AsMemory()) : throw new MalformedCredentialsException(TokenFailure.MultipleLocations);
        }

        if (found is not null)
            request.HttpContext.Items[SchemeItem] = found.Value.Scheme;
        var proofs = request.Headers[DPoPScheme];
        if (proofs.Count > 1 && dpop.AcceptsDPoP)
            throw new MalformedCredentialsException(DPoPFailure.MultipleProofs);
        if (found is not { } credentials)
            return null;

        var (scheme, token) = credentials;
        if (scheme == DPoPScheme)
            return string.IsNullOrEmpty(proofs.ToString())
                ? throw new MalformedCredentialsException(DPoPFailure.ProofMissing)
                : new Credentials(scheme, token, proofs.ToString());
        if (proofs.Count > 0 && dpop.AcceptsDPoP)
            throw new MalformedCredentialsException(DPoPFailure.ProofWithBearer);
        return new Credentials(scheme, token, null);
    }

    private static (string Scheme, ReadOnlyMemory<char> Token)? FromHeader(StringValues values, DPoPOptions dpop)
    {
        if (values.Count == 0)
            return null;
        if (values.Count > 1)
            throw new MalformedCredentialsException(TokenFailure.MultipleHeaders);

        var value = values[0] ?? "";
        if (value.Trim().Length == 0)
            throw new MalformedCredentialsException(TokenFailure.MalformedHeader);
        if (dpop.AcceptsBearer && TokenAfter(value, BearerScheme) is { } bearer)
            return (BearerScheme, bearer);
        if (dpop.AcceptsDPoP && TokenAfter(value, DPoPScheme) is { } bound)
            return (DPoPScheme, bound);
        return null;
    }

    /// <summary>The token after <paramref name="scheme"/>; null when the header uses another scheme.</summary>
    private static ReadOnlyMemory<char>? TokenAfter(string value, string scheme)
    {
        if (!value.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            return null;
        var rest = value.AsMemory(scheme.Length);
        if (rest.IsEmpty)
            throw new MalformedCredentialsException(TokenFailure.NoToken);
        if (rest.Span[0] != ' ')
            return rest.Span[0] == '\t' ? throw new MalformedCredentialsException(TokenFailure.MalformedHeader) : null;

        var token = rest.TrimStart(' ');
        if (token.IsEmpty)
            throw new MalformedCredentialsException(TokenFailure.NoToken);
        if (token.Span.ContainsAny(' ', '\t'))
            throw new MalformedCredentialsException(TokenFailure.MalformedHeader);
        return token;
    }

    /// <summary>The form, within ASP.NET's form limits (1,024 fields, key and value lengths); beyond them, malformed credentials.</summary>
    private static async Task<IFormCollection> ReadFormAsync(HttpRequest request)
    {
        try
        {
            return await request.ReadFormAsync(request.HttpContext.RequestAborted);
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException or IOException)
        {
            throw new MalformedCredentialsException(TokenFailure.UnreadableBody);
        }
    }

    private static string? Single(StringValues values) => values.Count switch
    {
        0 => null,
        1 when !string.IsNullOrEmpty(values[0]) => values[0],
        1 => throw new MalformedCredentialsException(TokenFailure.NoToken),
        _ => throw new MalformedCredentialsException(TokenFailure.MultipleLocations),
    };

    private static bool IsFormBodyCandidate(HttpRequest request) =>
        !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && !HttpMethods.IsOptions(request.Method)
        && MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
        && type.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);
}
