using FastEndpoints;
using FluentValidation;
using MySecureApi.Infrastructure.Auth.Mtls;

namespace MySecureApi.Features.DevIssuer.PostToken;

internal sealed class Validator : Validator<DevTokenRequest>
{
    public Validator()
    {
        // Must(…), not NotEmpty(): FastEndpoints would document sub as required, and it is not (it defaults).
        RuleFor(r => r.Sub).Must(sub => !string.IsNullOrEmpty(sub)).WithMessage("'Sub' must not be empty.").MaximumLength(256);
        RuleFor(r => r.Scope).MaximumLength(2048);
        // Must(…), not NotEmpty()/MaximumLength(): FastEndpoints would document those on the array itself.
        RuleFor(r => r.Permissions).Must(p => p is null || p.Count <= 50).WithMessage("At most 50 permissions.");
        RuleForEach(r => r.Permissions).Must(p => !string.IsNullOrWhiteSpace(p) && p.Length <= 256).WithMessage("Each permission has 1 to 256 characters.");
        RuleFor(r => r.Jkt).MaximumLength(128);
        RuleFor(r => r.Audiences).Must(a => a is null || a.Count <= 5).WithMessage("At most 5 audiences.");
        RuleForEach(r => r.Audiences).Must(a => a.Length <= 256 && Uri.TryCreate(a, UriKind.Absolute, out _)).WithMessage("Each audience is an absolute URI of at most 256 characters.");
        RuleFor(r => r.CertificateThumbprint).Must(t => t is null || CertificateBinding.IsWellFormed(t))
            .WithMessage("A base64url SHA-256 thumbprint: 43 characters of A-Z a-z 0-9 - _.");
        RuleFor(r => r.Claims).Must(c => c is null || c.Count <= 50).WithMessage("At most 50 claims.");
        RuleFor(r => r.ExpiresIn).Must(e => DevTokenRequest.ParseLifetime(e) is not null)
            .WithMessage("Use a duration such as 30m, 1h or 7d (at most 30d).");
    }
}
