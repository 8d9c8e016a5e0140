using Microsoft.AspNetCore.Authorization;
using MySecureApi.Infrastructure.Auth.Tokens;

namespace MySecureApi.Infrastructure.Auth.Access;

/// <summary>
/// The claim-value rules routes declare by name in <c>Configure()</c> — <c>Policies(ClaimRules.AdminRole)</c> — each a
/// policy of one <see cref="ClaimRequirement"/>, so a failure names its rule (403 <c>forbidden</c>).
/// </summary>
public static class ClaimRules
{
    public const string AdminRole = nameof(AdminRole);
    public const string EditorAndViewer = nameof(EditorAndViewer);
    public const string OrgMatchesPath = nameof(OrgMatchesPath);
    public const string PremiumSubscription = nameof(PremiumSubscription);
    public const string Verified = nameof(Verified);

    /// <summary>Declared with <see cref="Delegation.RefuseDelegatedCalls"/>.</summary>
    public const string NotDelegated = nameof(NotDelegated);

    /// <summary>Each rule's requirement, by policy name (the API documentation reads their descriptions).</summary>
    public static readonly IReadOnlyDictionary<string, ClaimRequirement> Requirements = new Dictionary<string, ClaimRequirement>
    {
        [AdminRole] = new ClaimEqualsRequirement(ClaimNames.Role, "admin"),
        [EditorAndViewer] = new ClaimIncludesAllRequirement(ClaimNames.Roles, "editor", "viewer"),
        [OrgMatchesPath] = new ClaimMatchesRouteRequirement(ClaimNames.OrgId, "orgId"),
        [PremiumSubscription] = new ClaimEqualsRequirement(ClaimNames.Subscription, "premium"),
        [Verified] = new ClaimIsTrueRequirement(ClaimNames.Verified),
        [NotDelegated] = new NotDelegatedRequirement(),
    };

    internal static void AddClaimRules(this AuthorizationOptions options)
    {
        foreach (var (name, requirement) in Requirements)
            options.AddPolicy(name, policy => policy.RequireAuthenticatedUser().AddRequirements(requirement));
    }
}
