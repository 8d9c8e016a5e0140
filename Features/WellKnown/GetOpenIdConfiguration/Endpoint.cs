using FastEndpoints;
using MySecureApi.Infrastructure.DevIssuer;

namespace MySecureApi.Features.WellKnown.GetOpenIdConfiguration;

/// <summary>OIDC discovery of the development issuer (exists only while it is active).</summary>
internal sealed class Endpoint : EndpointWithoutRequest<Response>
{
    public override void Configure()
    {
        Get("/.well-known/openid-configuration");
        this.DevIssuerOnly();
        Description(d => d.WithTags("Development issuer"));
        Summary(s => s.Summary = "OpenID Connect discovery of the development issuer");
    }

    public override Task HandleAsync(CancellationToken ct)
    {
        var issuer = Resolve<DevTokenFactory>().Issuer;
        return Send.OkAsync(new Response(issuer, $"{issuer}.well-known/jwks.json", ["public"], ["RS256"], ["RS256"]), ct);
    }
}

internal sealed record Response(
    [property: System.Text.Json.Serialization.JsonPropertyName("issuer")] string Issuer,
    [property: System.Text.Json.Serialization.JsonPropertyName("jwks_uri")] string JwksUri,
    [property: System.Text.Json.Serialization.JsonPropertyName("subject_types_supported")] string[] SubjectTypesSupported,
    [property: System.Text.Json.Serialization.JsonPropertyName("id_token_signing_alg_values_supported")] string[] IdTokenSigningAlgValuesSupported,
    [property: System.Text.Json.Serialization.JsonPropertyName("token_endpoint_auth_signing_alg_values_supported")] string[] TokenEndpointAuthSigningAlgValuesSupported);
