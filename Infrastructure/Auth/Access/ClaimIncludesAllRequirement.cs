using System.Security.Claims;
using MySecureApi.Infrastructure.Auth.Tokens;

namespace MySecureApi.Infrastructure.Auth.Access;

/// <summary>The claim (array or space-delimited string) includes every listed value.</summary>
public sealed class ClaimIncludesAllRequirement(string type, params string[] values) : ClaimRequirement
{
    protected override bool IsSatisfied(ClaimsPrincipal user, HttpContext? http)
    {
        foreach (var value in values)
            if (!ClaimValues.Contains(user, type, value))
                return false;
        return true;
    }

    public override string Description => $"claim `{type}` includes {string.Join(" and ", values.Select(v => $"\"{v}\""))}";
}
