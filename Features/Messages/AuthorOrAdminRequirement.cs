using Microsoft.AspNetCore.Authorization;
using MySecureApi.Features.Messages.Data;
using MySecureApi.Infrastructure.Auth.Access;
using MySecureApi.Infrastructure.Auth.Tokens;

namespace MySecureApi.Features.Messages;

/// <summary>The caller wrote the message (<c>sub</c> is its author) or is an admin (<c>admin:access</c> and <c>role</c> = <c>"admin"</c>).</summary>
internal sealed class AuthorOrAdminRequirement : AuthorizationHandler<AuthorOrAdminRequirement, MessageRecord>, IAuthorizationRequirement
{
    public const string Text = "the caller is the message's author (`sub`), or an admin (`admin:access` and claim `role` is \"admin\")";

    public static readonly AuthorizationPolicy Policy = new AuthorizationPolicyBuilder().AddRequirements(new AuthorOrAdminRequirement()).Build();

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, AuthorOrAdminRequirement requirement, MessageRecord resource)
    {
        var user = context.User;
        var isAuthor = string.Equals(user.Identity?.Name, resource.Author, StringComparison.Ordinal);
        var isAdmin = ClaimValues.Contains(user, ClaimNames.Permissions, Allow.AdminAccess, split: false)
                      && ClaimRules.Requirements[ClaimRules.AdminRole].IsSatisfiedBy(user, null);
        if (isAuthor || isAdmin)
            context.Succeed(requirement);
        return Task.CompletedTask;
    }
}
