using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using MySecureApi.Infrastructure.Auth.DPoP;
using MySecureApi.Infrastructure.Auth.Tokens;
using MySecureApi.Infrastructure.Errors;

namespace MySecureApi.Infrastructure.Auth.Challenges;

/// <summary>
/// A <c>WWW-Authenticate</c> challenge (RFC 6750 §3, RFC 9449 §7.1), built only from fixed texts: one challenge per
/// accepted scheme (<c>Bearer</c>, <c>DPoP</c> with its <c>algs</c>), the error attributes on the scheme the request used,
/// and on each the RFC 9728 <c>resource_metadata</c> URL.
/// </summary>
public sealed record AuthChallenge(string? Error = null, string? Description = null, string? Scope = null) : IChallenge
{
    public const string Realm = "api";

    public static readonly AuthChallenge Plain = new();

    public StringValues Render(HttpContext context)
    {
        var dpop = context.RequestServices.GetRequiredService<IOptions<DPoPOptions>>().Value;
        var errorOnDPoP = !dpop.AcceptsBearer || Equals(context.Items[CredentialsReader.SchemeItem], CredentialsReader.DPoPScheme);
        var metadata = ResourceMetadata.UrlFor(context.Request) is { } url ? $", resource_metadata=\"{url}\"" : "";
        var challenges = new List<string>(2);
        if (dpop.AcceptsBearer)
            challenges.Add(Format(CredentialsReader.BearerScheme, errorOnDPoP ? Plain : this) + metadata);
        if (dpop.AcceptsDPoP)
            challenges.Add($"{Format(CredentialsReader.DPoPScheme, errorOnDPoP ? this : Plain)}, algs=\"{string.Join(' ', dpop.AcceptedAlgorithms)}\"{metadata}");
        return new StringValues(challenges.ToArray());
    }

    private static string Format(string scheme, AuthChallenge c)
    {
        var text = $"{scheme} realm=\"{Realm}\"";
        if (c.Error is not null)
            text += $", error=\"{c.Error}\", error_description=\"{c.Description}\"";
        if (c.Scope is not null)
            text += $", scope=\"{c.Scope}\"";
        return text;
    }
}
