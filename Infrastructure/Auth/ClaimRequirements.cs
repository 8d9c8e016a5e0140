using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;

namespace MySecureApi.Infrastructure.Auth;

/// <summary>A claim rule; a failure is a 403 <c>forbidden</c> without a challenge.</summary>
public abstract class ClaimRequirement : IAuthorizationHandler, IAuthorizationRequirement
{
    public Task HandleAsync(AuthorizationHandlerContext context)
    {
        if (IsSatisfied(context.User, context.Resource as HttpContext))
            context.Succeed(this);
        return Task.CompletedTask;
    }

    protected abstract bool IsSatisfied(ClaimsPrincipal user, HttpContext? http);

    /// <summary>The rule in words, for the API documentation.</summary>
    public abstract string Description { get; }

    /// <summary>
    /// One JSON string, as the token holds it: an array claim arrives as several claims, or as one claim whose value
    /// type is <see cref="ClaimValues.ArrayElement"/>, and never equals a single value.
    /// </summary>
    protected static bool IsSingleString(ClaimsPrincipal user, string type, string expected)
    {
        var claims = user.FindAll(type).Take(2).ToList();
        return claims is [{ ValueType: ClaimValueTypes.String } claim] && string.Equals(claim.Value, expected, StringComparison.Ordinal);
    }
}

/// <summary>The claim <paramref name="type"/> is one JSON string equal to <paramref name="value"/> (exact, case-sensitive).</summary>
public sealed class ClaimEqualsRequirement(string type, string value) : ClaimRequirement
{
    protected override bool IsSatisfied(ClaimsPrincipal user, HttpContext? http) => IsSingleString(user, type, value);

    public override string Description => $"claim `{type}` is the string \"{value}\"";
}

/// <summary>The claim is the JSON boolean <c>true</c>; the string <c>"true"</c> does not count.</summary>
public sealed class ClaimIsTrueRequirement(string type) : ClaimRequirement
{
    protected override bool IsSatisfied(ClaimsPrincipal user, HttpContext? http) =>
        user.FindAll(type).Take(2).ToList() is [{ ValueType: ClaimValueTypes.Boolean } claim] && bool.TryParse(claim.Value, out var value) && value;

    public override string Description => $"claim `{type}` is the JSON boolean true";
}

/// <summary>The claim (array or space-delimited string) includes every listed value.</summary>
public sealed class ClaimIncludesAllRequirement(string type, params string[] values) : ClaimRequirement
{
    protected override bool IsSatisfied(ClaimsPrincipal user, HttpContext? http) =>
        values.All(value => ClaimValues.Contains(user, type, value));

    public override string Description => $"claim `{type}` includes {string.Join(" and ", values.Select(v => $"\"{v}\""))}";
}

/// <summary>The claim is one JSON string equal to the route value <paramref name="routeParameter"/> (exact, case-sensitive).</summary>
public sealed class ClaimMatchesRouteRequirement(string type, string routeParameter) : ClaimRequirement
{
    protected override bool IsSatisfied(ClaimsPrincipal user, HttpContext? http) =>
        http?.GetRouteValue(routeParameter) is string expected && IsSingleString(user, type, expected);

    public override string Description => $"claim `{type}` equals the path's `{{{routeParameter}}}`";
}

/// <summary>The claim rules the routes use, one instance each.</summary>
public static class ClaimRules
{
    public static readonly ClaimRequirement AdminRole = new ClaimEqualsRequirement(ClaimNames.Role, "admin");
    public static readonly ClaimRequirement EditorAndViewer = new ClaimIncludesAllRequirement(ClaimNames.Roles, "editor", "viewer");
    public static readonly ClaimRequirement OrgMatchesPath = new ClaimMatchesRouteRequirement(ClaimNames.OrgId, "orgId");
    public static readonly ClaimRequirement PremiumSubscription = new ClaimEqualsRequirement(ClaimNames.Subscription, "premium");
    public static readonly ClaimRequirement Verified = new ClaimIsTrueRequirement(ClaimNames.Verified);
}
