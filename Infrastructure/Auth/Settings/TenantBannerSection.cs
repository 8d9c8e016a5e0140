using MySecureApi.Infrastructure.Hosting;

namespace MySecureApi.Infrastructure.Auth.Settings;

/// <summary>The start-up banner's line naming the Auth0 tenant and audience (nothing with the development issuer, which says its own).</summary>
internal sealed class TenantBannerSection(Auth0Settings auth0) : IStartupBannerSection
{
    public IEnumerable<string> Lines(string url, IReadOnlyList<string> addresses) => auth0.UsesDevelopmentIssuer
        ? []
        : [$"Auth0 tenant: {string.Join(", ", auth0.Issuers)} (audience {string.Join(", ", auth0.Audiences)})"];
}
