using System.Text.Json.Serialization;

namespace MySecureApi.Features.WellKnown.GetProtectedResource;

/// <summary>RFC 9728 §2 protected resource metadata; the DPoP members only while DPoP is accepted.</summary>
internal sealed record Response(
    [property: JsonPropertyName("resource")] string Resource,
    [property: JsonPropertyName("authorization_servers")] IReadOnlyList<string> AuthorizationServers,
    [property: JsonPropertyName("scopes_supported")] IReadOnlyList<string> ScopesSupported,
    [property: JsonPropertyName("bearer_methods_supported")] IReadOnlyList<string> BearerMethodsSupported,
    [property: JsonPropertyName("dpop_signing_alg_values_supported"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    IReadOnlyList<string>? DPoPSigningAlgValuesSupported,
    [property: JsonPropertyName("dpop_bound_access_tokens_required"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    bool? DPoPBoundAccessTokensRequired);
