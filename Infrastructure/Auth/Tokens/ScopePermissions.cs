using System.Security.Claims;

namespace MySecureApi.Infrastructure.Auth.Tokens;

/// <summary>
/// Auth0 grants a scope through the space-delimited <c>scope</c> string or, with RBAC, the <c>permissions</c> array, and
/// the API treats both alike (docs/http-api.md). Each <c>scope</c> word becomes a <c>permissions</c> claim when the identity is built —
/// once per token, so verified-token cache hits pay nothing — and FastEndpoints' exact, case-sensitive
/// <c>Permissions(...)</c> check decides for both.
/// </summary>
internal static class ScopePermissions
{
    /// <summary>
    /// Removes every claim whose type differs from <c>permissions</c> or <c>scope</c> only by case (<c>Permissions</c>,
    /// <c>SCOPE</c>…): ASP.NET's and FastEndpoints' checks compare claim types ignoring case, so such a claim would grant
    /// what only Auth0's exact claims may grant. Nothing reads them otherwise.
    /// </summary>
    public static void RemoveLookalikes(ClaimsIdentity identity)
    {
        List<Claim>? lookalikes = null;
        foreach (var claim in identity.Claims)
            if (IsLookalike(claim.Type, ClaimNames.Permissions) || IsLookalike(claim.Type, ClaimNames.Scope))
                (lookalikes ??= []).Add(claim);
        foreach (var claim in lookalikes ?? [])
            identity.RemoveClaim(claim);
    }

    private static bool IsLookalike(string type, string name) =>
        string.Equals(type, name, StringComparison.OrdinalIgnoreCase) && !string.Equals(type, name, StringComparison.Ordinal);

    public static void Add(ClaimsIdentity identity)
    {
        List<Claim>? granted = null;
        foreach (var scope in identity.FindAll(claim => string.Equals(claim.Type, ClaimNames.Scope, StringComparison.Ordinal)))
            foreach (var word in scope.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                if (!identity.HasClaim(ClaimNames.Permissions, word) && granted?.Exists(c => c.Value == word) != true)
                    (granted ??= []).Add(new Claim(ClaimNames.Permissions, word, ClaimValueTypes.String, scope.Issuer, scope.OriginalIssuer, identity));
        if (granted is not null)
            identity.AddClaims(granted);
    }
}
