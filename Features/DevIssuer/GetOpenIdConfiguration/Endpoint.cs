using FastEndpoints;

namespace MySecureApi.Features.DevIssuer.GetOpenIdConfiguration;

/// <summary>OIDC discovery of the development issuer (exists only while it is active).</summary>
internal sealed class Endpoint(DevTokenFactory tokens) : EndpointWithoutRequest<Response>
{
    public override void Configure()
    {
        Get("/.well-known/openid-configuration");
        this.DevIssuerOnly();
        Summary(s => s.Summary = "OpenID Connect discovery of the development issuer");
    }

    public override Task HandleAsync(CancellationToken ct)
    {
        var issuer = tokens.Issuer;
        return Send.OkAsync(new Response(issuer, $"{issuer}.well-known/jwks.json", ["public"], ["RS256"], ["RS256"]), ct);
    }
}
