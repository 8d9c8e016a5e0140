using System.Security.Claims;

namespace MySecureApi.Infrastructure.Auth.Tokens;

/// <summary>Reads a multi-valued claim that may arrive as a JSON array or as one space-delimited string.</summary>
internal static class ClaimValues
{
    /// <summary>
    /// Whether <paramref name="value"/> is one of the claim's values: each element of a JSON array (several claims),
    /// or each word of a single space-delimited string — with <paramref name="split"/> false, only whole values.
    /// Claim types match exactly, as the token's case-sensitive identity matches them. It allocates nothing: it runs
    /// on every request to a scoped route.
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

    /// <summary>
    /// The value type of a claim that was one element of a JSON array. The parsed token makes one claim per element,
    /// so without it a one-element array (<c>"role":["admin"]</c>) would pass for the single value <c>"admin"</c>.
    /// </summary>
    public const string ArrayElement = "urn:mysecureapi:json-array-element";

    /// <summary>Gives the claims that came from JSON arrays <see cref="ArrayElement"/> as their value type (once per token).</summary>
    public static void MarkArrayElements(ClaimsIdentity identity, IReadOnlyList<string>? arrayClaims)
    {
        if (arrayClaims is null)
            return;
        foreach (var type in arrayClaims)
        {
            foreach (var claim in identity.FindAll(type).ToList())
            {
                identity.RemoveClaim(claim);
                identity.AddClaim(new Claim(claim.Type, claim.Value, ArrayElement, claim.Issuer, claim.OriginalIssuer, identity));
            }
        }
    }
}
