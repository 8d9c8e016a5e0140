using FastEndpoints;

namespace MySecureApi.Features.DevIssuer.GetJwks;

/// <summary>The development issuer's public key set (exists only while it is active).</summary>
internal sealed class Endpoint(DevSigningKey key) : EndpointWithoutRequest<Response>
{
    public override void Configure()
    {
        Get("/.well-known/jwks.json");
        this.DevIssuerOnly();
        Summary(s => s.Summary = "JSON Web Key Set of the development issuer");
    }

    public override Task HandleAsync(CancellationToken ct)
    {
        var jwk = key.PublicJwk;
        return Send.OkAsync(new Response([new Key(jwk.Kty, jwk.Use, jwk.Alg, jwk.Kid, jwk.N, jwk.E)]), ct);
    }
}
