using Microsoft.Net.Http.Headers;

namespace MySecureApi.Infrastructure.Auth;

/// <summary>
/// Finds the bearer token of a request the way RFC 6750 §2 describes it: the <c>Authorization</c> header
/// (scheme case-insensitive, one or more spaces, one token), and — only when enabled — the query string or
/// a form-encoded body. Returns null when there are no credentials for this scheme at all.
/// </summary>
internal static class BearerTokenReader
{
    private const string Scheme = "Bearer";
    private const string ParameterName = "access_token";

    /// <exception cref="MalformedCredentialsException">the credentials are present but malformed</exception>
    public static async ValueTask<string?> ReadAsync(HttpRequest request, Auth0Options options)
    {
        var found = new List<string>(1);
        if (FromHeader(request.Headers.Authorization) is { } headerToken)
            found.Add(headerToken);
        if (options.AllowQueryStringToken && Single(request.Query[ParameterName]) is { } queryToken)
            found.Add(queryToken);
        if (options.AllowFormBodyToken && IsFormBodyCandidate(request))
        {
            var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
            if (Single(form[ParameterName]) is { } formToken)
                found.Add(formToken);
        }

        return found.Count switch
        {
            0 => null,
            1 => found[0],
            _ => throw new MalformedCredentialsException(TokenFailure.MultipleLocations),
        };
    }

    private static string? FromHeader(Microsoft.Extensions.Primitives.StringValues values)
    {
        if (values.Count == 0)
            return null;
        if (values.Count > 1)
            throw new MalformedCredentialsException(TokenFailure.MultipleHeaders);

        var value = values[0] ?? "";
        if (value.Trim().Length == 0)
            throw new MalformedCredentialsException(TokenFailure.MalformedHeader);
        if (!value.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
            return null;

        var rest = value.AsSpan(Scheme.Length);
        if (rest.IsEmpty)
            throw new MalformedCredentialsException(TokenFailure.NoToken);
        if (rest[0] != ' ')
            return rest[0] == '\t' ? throw new MalformedCredentialsException(TokenFailure.MalformedHeader) : null;

        var token = rest.TrimStart(' ');
        if (token.IsEmpty)
            throw new MalformedCredentialsException(TokenFailure.NoToken);
        if (token.ContainsAny(' ', '\t'))
            throw new MalformedCredentialsException(TokenFailure.MalformedHeader);
        return token.ToString();
    }

    private static string? Single(Microsoft.Extensions.Primitives.StringValues values) => values.Count switch
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
