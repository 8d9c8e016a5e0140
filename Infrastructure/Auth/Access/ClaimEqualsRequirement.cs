using System.Security.Claims;

namespace MySecureApi.Infrastructure.Auth.Access;

/// <summary>The claim <paramref name="type"/> is one JSON string equal to <paramref name="value"/> (exact, case-sensitive).</summary>
public sealed class ClaimEqualsRequirement(string type, string value) : ClaimRequirement
{
    protected override bool IsSatisfied(ClaimsPrincipal user, HttpContext? http) => IsSingleString(user, type, value);

    public override string Description => $"claim `{type}` is the string \"{value}\"";
}
