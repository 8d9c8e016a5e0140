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
}
