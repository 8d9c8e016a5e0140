using System.Security.Claims;

namespace MySecureApi.Infrastructure.Auth.Access;

/// <summary>The claim is the JSON boolean <c>true</c>; the string <c>"true"</c> (or <c>[true]</c>) does not count.</summary>
public sealed class ClaimIsTrueRequirement(string type) : ClaimRequirement
{
    protected override bool IsSatisfied(ClaimsPrincipal user, HttpContext? http) =>
        Single(user, type) is { ValueType: ClaimValueTypes.Boolean } claim && bool.TryParse(claim.Value, out var value) && value;

    public override string Description => $"claim `{type}` is the JSON boolean true";
}
