using System.Text.Json.Serialization;
using MySecureApi.Infrastructure.Auth.Challenges;
using MySecureApi.Infrastructure.Auth.DPoP;

namespace MySecureApi.Features.WellKnown.GetProtectedResource;

/// <summary>
/// RFC 9728 §2 protected resource metadata; the DPoP members only while DPoP is accepted, the certificate-binding member
/// only while certificate-bound tokens are.
/// </summary>
internal sealed record Response(
    [property: JsonPropertyName("resource")] string Resource,
    [property: JsonPropertyName("authorization_servers")] IReadOnlyList<string> AuthorizationServers,
    [property: JsonPropertyName("scopes_supported")] IReadOnlyList<string> ScopesSupported,
    [property: JsonPropertyName("bearer_methods_supported")] IReadOnlyList<string> BearerMethodsSupported,
    [property: JsonPropertyName("dpop_signing_alg_values_supported"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    IReadOnlyList<string>? DPoPSigningAlgValuesSupported,
    [property: JsonPropertyName("dpop_bound_access_tokens_required"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    bool? DPoPBoundAccessTokensRequired,
    [property: JsonPropertyName("tls_client_certificate_bound_access_tokens"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    bool? TlsClientCertificateBoundAccessTokens)
{
    /// <summary>
    /// The document of a resource of this API (the API itself, or its MCP endpoint): its identifier, scopes and token
    /// methods, with the issuers, DPoP and certificate-binding members every resource of it shares.
    /// </summary>
    public static Response Of(ResourceMetadata metadata, string resource, IReadOnlyList<string> scopes, IReadOnlyList<string> bearerMethods)
    {
        var dpop = metadata.DPoP;
        return new Response(resource, metadata.Issuers, scopes, bearerMethods,
            dpop.AcceptsDPoP ? dpop.AcceptedAlgorithms : null,
            dpop.AcceptsDPoP ? dpop.Mode == DPoPMode.Required : null,
            metadata.CertificateBoundTokens ? true : null);
    }
}
