using FastEndpoints;

namespace MySecureApi.Infrastructure.Auth.Access;

/// <summary>
/// The declaration a route makes in <c>Configure()</c>, next to <c>Permissions(...)</c>, when an agent must not call it
/// on a person's behalf: <c>this.RefuseDelegatedCalls();</c>. A delegated token then gets 403 <c>delegation_refused</c>.
/// </summary>
public static class Delegation
{
    public static void RefuseDelegatedCalls(this BaseEndpoint endpoint) => endpoint.Definition.Policies(ClaimRules.NotDelegated);

    /// <summary>Whether a route declared <see cref="RefuseDelegatedCalls"/>.</summary>
    public static bool RefusesDelegatedCalls(EndpointDefinition endpoint) =>
        endpoint.PreBuiltUserPolicies?.Contains(ClaimRules.NotDelegated) == true;
}
