using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using MySecureApi.Infrastructure.Auth.Settings;

namespace MySecureApi.Infrastructure.DevIssuer;

/// <summary>Prints, like the seed, where the API listens; with the development issuer, how to get and use a token.</summary>
internal sealed class StartupBanner(
    IHostApplicationLifetime lifetime, IServer server, Auth0Settings auth0, IHostEnvironment environment,
    IOptions<ConsoleLoggerOptions> console, ILogger<StartupBanner> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];
            if (addresses.Count == 0)
                return;
            var lines = Lines(addresses, auth0.UsesDevelopmentIssuer, string.Join(", ", auth0.Issuers), string.Join(", ", auth0.Audiences), environment.IsDevelopment());
            // With JSON console logs every line of output is a JSON object: the banner goes through the logger too.
            if (console.Value.FormatterName == ConsoleFormatterNames.Json)
                foreach (var line in lines.Where(l => l.Length > 0))
                    logger.LogInformation("{Line}", line);
            else
                Console.WriteLine(string.Join(Environment.NewLine, lines));
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    internal static List<string> Lines(IReadOnlyList<string> addresses, bool usesDevelopmentIssuer, string issuer, string audience, bool isDevelopment)
    {
        var url = addresses[0].Replace("://[::]", "://localhost").Replace("://+", "://localhost").Replace("://*", "://localhost")
            .Replace("://0.0.0.0", "://localhost").TrimEnd('/');
        var lines = new List<string>
        {
            $"Server running on {url}",
            $"Public endpoint: {url}/api/public",
            $"Private endpoint: {url}/api/private",
        };
        if (isDevelopment)
            lines.Add($"Swagger UI: {url}/swagger");
        if (!usesDevelopmentIssuer)
        {
            lines.Add($"Auth0 tenant: {issuer} (audience {audience})");
            return lines;
        }
        lines.AddRange(
        [
            "",
            $"No AUTH0_DOMAIN: this app is its own development issuer ({issuer}, audience {audience}).",
            "Get a token:  TOKEN=$(dotnet run -v q -- token --scope read:messages)",
            $"Call the API: curl -H \"Authorization: Bearer $TOKEN\" {url}/api/messages",
            "More options: dotnet run -- token --help",
        ]);
        var beyondLoopback = addresses.Where(a => !IsLoopback(a)).ToList();
        if (beyondLoopback.Count > 0)
            lines.Add($"Also listening on {string.Join(", ", beyondLoopback)}: the development issuer (/dev/token, /.well-known/*) "
                      + "answers only clients on this machine (loopback); others get 404.");
        return lines;
    }

    /// <summary>Whether a listening address (<c>http://127.0.0.1:3000</c>, <c>http://[::]:3000</c>, <c>http://+:3000</c>…) is loopback only.</summary>
    private static bool IsLoopback(string address) =>
        Uri.TryCreate(address.Replace("://+", "://0.0.0.0").Replace("://*", "://0.0.0.0"), UriKind.Absolute, out var uri) && uri.IsLoopback;
}
