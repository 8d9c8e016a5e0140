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
    public static void Add(ClaimsIdentity identity)
    {
        List<Claim>? granted = null;
        foreach (var scope in identity.FindAll(ClaimNames.Scope))
            foreach (var word in scope.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                if (!identity.HasClaim(ClaimNames.Permissions, word) && granted?.Exists(c => c.Value == word) != true)
                    (granted ??= []).Add(new Claim(ClaimNames.Permissions, word, ClaimValueTypes.String, scope.Issuer, scope.OriginalIssuer, identity));
        if (granted is not null)
            identity.AddClaims(granted);
    }
}
