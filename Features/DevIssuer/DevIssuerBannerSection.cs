using MySecureApi.Infrastructure.Auth.Settings;
using MySecureApi.Infrastructure.Hosting;

namespace MySecureApi.Features.DevIssuer;

/// <summary>The start-up banner's lines on the development issuer: where it is, how to get and use a token, who it answers.</summary>
internal sealed class DevIssuerBannerSection(Auth0Settings auth0) : IStartupBannerSection
{
    public IEnumerable<string> Lines(string url, IReadOnlyList<string> addresses) => auth0.UsesDevelopmentIssuer
        ? Lines(url, addresses, string.Join(", ", auth0.Issuers), string.Join(", ", auth0.Audiences))
        : [];

    internal static List<string> Lines(string url, IReadOnlyList<string> addresses, string issuer, string audience)
    {
        var lines = new List<string>
        {
            "",
            $"No AUTH0_DOMAIN: this app is its own development issuer ({issuer}, audience {audience}).",
            "Get a token:  TOKEN=$(dotnet run -v q -- token --scope read:messages)",
            $"Call the API: curl -H \"Authorization: Bearer $TOKEN\" {url}/api/messages",
            "More options: dotnet run -- token --help",
        };
        var beyondLoopback = addresses.Where(a => !StartupBanner.IsLoopback(a)).ToList();
        if (beyondLoopback.Count > 0)
            lines.Add($"Also listening on {string.Join(", ", beyondLoopback)}: the development issuer (/dev/token, /.well-known/*) "
                      + "answers only clients on this machine (loopback); others get 404.");
        return lines;
    }
}
