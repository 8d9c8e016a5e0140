using FastEndpoints;

namespace MySecureApi.Features.DevIssuer.PostToken;

/// <summary>Mints a development token from the browser (Swagger UI); exists only while the development issuer is active.</summary>
internal sealed class Endpoint(DevTokenFactory tokens) : Endpoint<DevTokenRequest, Response>
{
    public override void Configure()
    {
        Post("/dev/token");
        this.DevIssuerOnly();
        Summary(s =>
        {
            s.Summary = "Mint a development access token (Development only)";
            s.Description = "Paste the accessToken into Authorize. Same choices as `dotnet run -- token`.";
            s.ExampleRequest = new Dictionary<string, object>
            {
                ["sub"] = DevTokenRequest.DefaultSubject,
                ["scope"] = "read:messages admin:access",
                ["claims"] = new Dictionary<string, object>
                {
                    ["role"] = "admin", ["org_id"] = "org_1", ["roles"] = new[] { "editor", "viewer" },
                    ["subscription"] = "premium", ["verified"] = true,
                },
                ["expiresIn"] = "1h",
            };
        });
    }

    public override Task HandleAsync(DevTokenRequest req, CancellationToken ct)
    {
        var (token, lifetime) = tokens.Mint(req);
        HttpContext.Response.Headers.CacheControl = "no-store";
        return Send.OkAsync(new Response(token, "Bearer", (int)lifetime.TotalSeconds), ct);
    }
}
