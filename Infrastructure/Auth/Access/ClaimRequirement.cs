using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;

namespace MySecureApi.Infrastructure.Auth.Access;

/// <summary>A claim rule, declared by name in <c>Configure()</c> (<see cref="ClaimRules"/>); a failure is a 403 <c>forbidden</c>.</summary>
public abstract class ClaimRequirement : IAuthorizationHandler, IAuthorizationRequirement
{
    public Task HandleAsync(AuthorizationHandlerContext context)
    {
        if (IsSatisfied(context.User, context.Resource as HttpContext))
            context.Succeed(this);
        return Task.CompletedTask;
    }

    protected abstract bool IsSatisfied(ClaimsPrincipal user, HttpContext? http);

    /// <summary>The rule applied directly, for a rule that combines it with others (an admin override).</summary>
    public bool IsSatisfiedBy(ClaimsPrincipal user, HttpContext? http) => IsSatisfied(user, http);

    /// <summary>The rule in words, for the API documentation.</summary>
    public abstract string Description { get; }

    /// <summary>
    /// One JSON string, as the token holds it: an array claim arrives as several claims, or as one claim whose value
    /// type is <see cref="Tokens.ClaimValues.ArrayElement"/>, and never equals a single value.
    /// </summary>
    protected static bool IsSingleString(ClaimsPrincipal user, string type, string expected) =>
        Single(user, type) is { ValueType: ClaimValueTypes.String } claim && string.Equals(claim.Value, expected, StringComparison.Ordinal);

    /// <summary>
    /// The only claim of <paramref name="type"/> (matched as <see cref="ClaimsPrincipal.FindAll(string)"/> matches it),
    /// or null when there is none or more than one; without allocating, since it runs on every request.
    /// </summary>
    protected static Claim? Single(ClaimsPrincipal user, string type)
    {
        Claim? found = null;
        foreach (var identity in user.Identities)
            foreach (var claim in identity.Claims)
                if (string.Equals(claim.Type, type, StringComparison.OrdinalIgnoreCase))
                {
                    if (found is not null)
                        return null;
                    found = claim;
                }
        return found;
    }
}
