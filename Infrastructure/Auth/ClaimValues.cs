using System.Security.Claims;

namespace MySecureApi.Infrastructure.Auth;

/// <summary>Reads a multi-valued claim that may arrive as a JSON array or as one space-delimited string.</summary>
internal static class ClaimValues
{
    public static IEnumerable<string> Of(ClaimsPrincipal user, string type)
    {
        var claims = user.FindAll(type).ToList();
        return claims.Count == 1
            ? claims[0].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            : claims.Select(c => c.Value);
    }

    /// <summary>
    /// Whether <paramref name="value"/> is among the values <see cref="Of"/> reads (or, with <paramref name="split"/>
    /// false, among the claims' whole values), without allocating: it runs on every request to a scoped route.
    /// Claim types match exactly, as the token's case-sensitive identity matches them.
    /// </summary>
    public static bool Contains(ClaimsPrincipal user, string type, string value, bool split = true)
    {
        var count = 0;
        string? only = null;
        foreach (var identity in user.Identities)
        {
            foreach (var claim in identity.Claims)
            {
                if (!string.Equals(claim.Type, type, StringComparison.Ordinal))
                    continue;
                if (string.Equals(claim.Value, value, StringComparison.Ordinal))
                    return true;
                count++;
                only = claim.Value;
            }
        }
        if (!split || count != 1)
            return false;
        var values = only.AsSpan();
        foreach (var range in values.Split(' '))
        {
            if (values[range].SequenceEqual(value))
                return true;
        }
        return false;
    }
}
