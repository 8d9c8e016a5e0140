using FastEndpoints;
using FluentValidation;
using MySecureApi.Infrastructure.DevIssuer;

namespace MySecureApi.Features.Dev.PostToken;

/// <summary>Mints a development token from the browser (Swagger UI); exists only while the development issuer is active.</summary>
internal sealed class Endpoint : Endpoint<DevTokenRequest, Response>
{
    public override void Configure()
    {
        Post("/dev/token");
        this.DevIssuerOnly();
        Description(d => d.WithTags("Development issuer"));
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
        var (token, lifetime) = Resolve<DevTokenFactory>().Mint(req);
        HttpContext.Response.Headers.CacheControl = "no-store";
        return Send.OkAsync(new Response(token, "Bearer", (int)lifetime.TotalSeconds), ct);
    }
}

internal sealed class Validator : Validator<DevTokenRequest>
{
    public Validator()
    {
        RuleFor(r => r.Sub).NotEmpty().MaximumLength(256);
        RuleFor(r => r.Scope).MaximumLength(2048);
        RuleForEach(r => r.Permissions).NotEmpty().MaximumLength(256);
        RuleFor(r => r.Jkt).MaximumLength(128);
        RuleFor(r => r.Claims).Must(c => c is null || c.Count <= 50).WithMessage("At most 50 claims.");
        RuleFor(r => r.ExpiresIn).Must(e => DevTokenRequest.ParseLifetime(e) is not null)
            .WithMessage("Use a duration such as 30m, 1h or 7d (at most 30d).");
    }
}

internal sealed record Response(string AccessToken, string TokenType, int ExpiresIn);
