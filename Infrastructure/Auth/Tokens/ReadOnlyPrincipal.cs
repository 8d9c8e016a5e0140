using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace MySecureApi.Infrastructure.Auth.Tokens;

/// <summary>
/// The principal of a cached token, built once when the token is first validated and shared by every request that
/// presents the same token: neither it nor its identity can be changed (adding or removing a claim or an identity
/// throws), so no request can alter what another sees, and a cache hit allocates no copy.
/// </summary>
internal sealed class ReadOnlyPrincipal : ClaimsPrincipal
{
    public ReadOnlyPrincipal(ClaimsIdentity identity) : base(new ReadOnlyIdentity(identity))
    {
        Authenticated = Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(this, JwtBearerDefaults.AuthenticationScheme)));
        Actor = ActorChain.Current(this);
    }

    /// <summary>The authentication result for this principal, made once (authorization asks for it on every request).</summary>
    public Task<AuthenticateResult> Authenticated { get; }

    /// <summary>Who acts for the subject (a delegated token's <c>act.sub</c>), read once: every hit names it on its span.</summary>
    public string? Actor { get; }

    public override void AddIdentity(ClaimsIdentity identity) => throw ReadOnly();

    public override void AddIdentities(IEnumerable<ClaimsIdentity> identities) => throw ReadOnly();

    internal static InvalidOperationException ReadOnly() =>
        new("A cached token's principal is shared by every request that presents the token and cannot be changed; clone it first.");

    private sealed class ReadOnlyIdentity : ClaimsIdentity
    {
        private readonly bool built;

        public ReadOnlyIdentity(ClaimsIdentity source) : base(source) => built = true;

        public override void AddClaim(Claim claim)
        {
            if (built)
                throw ReadOnly();
            base.AddClaim(claim);
        }

        public override void AddClaims(IEnumerable<Claim?> claims)
        {
            if (built)
                throw ReadOnly();
            base.AddClaims(claims);
        }

        public override void RemoveClaim(Claim? claim) => throw ReadOnly();

        public override bool TryRemoveClaim(Claim? claim) => throw ReadOnly();
    }
}
