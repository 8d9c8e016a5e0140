using System.Security.Claims;

namespace MySecureApi.Infrastructure.Auth.Tokens;

/// <summary>
/// A delegated token's actors (RFC 8693 §4.1 <c>act</c>): who acts on the subject's behalf now, and who acted before,
/// kept as the identity's <see cref="ClaimsIdentity.Actor"/> chain — read once per token, cached with it.
/// </summary>
public static class ActorChain
{
    /// <summary>Most actors a token may name (an agent for a person, an agent for an agent…); a deeper chain is refused.</summary>
    public const int MaxDepth = 5;

    public const int MaxSubjectLength = 256;

    /// <summary>Sets <paramref name="identity"/>'s actor chain from the actors, the current one first.</summary>
    internal static void Attach(ClaimsIdentity identity, IReadOnlyList<string> actors)
    {
        ClaimsIdentity? earlier = null;
        for (var i = actors.Count - 1; i >= 0; i--)
            earlier = new ClaimsIdentity([new Claim(ClaimNames.Subject, actors[i])], "act") { Actor = earlier };
        identity.Actor = earlier;
    }

    /// <summary>The current actor's <c>sub</c>, or null when the caller acts for itself.</summary>
    public static string? Current(ClaimsPrincipal user)
    {
        foreach (var identity in user.Identities)
            if (identity.Actor?.FindFirst(ClaimNames.Subject)?.Value is { } actor)
                return actor;
        return null;
    }

    /// <summary>Whether the token acts on someone else's behalf.</summary>
    public static bool IsDelegated(ClaimsPrincipal user)
    {
        foreach (var identity in user.Identities)
            if (identity.Actor is not null)
                return true;
        return false;
    }
}
