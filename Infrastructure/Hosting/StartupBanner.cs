using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace MySecureApi.Infrastructure.Hosting;

/// <summary>
/// Prints, like the seed, where the API listens (and Swagger UI in Development), then the lines of every
/// <see cref="IStartupBannerSection"/> (the tenant, or how to use the development issuer). With JSON console logs every
/// line goes through the logger, so that every line of output is a JSON object.
/// </summary>
internal sealed class StartupBanner(
    IHostApplicationLifetime lifetime, IServer server, IEnumerable<IStartupBannerSection> sections, IHostEnvironment environment,
    IOptions<ConsoleLoggerOptions> console, ILogger<StartupBanner> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];
            if (addresses.Count == 0)
                return;
            var url = DisplayUrl(addresses[0]);
            var lines = Lines(url, environment.IsDevelopment());
            foreach (var section in sections)
                lines.AddRange(section.Lines(url, addresses));
            if (console.Value.FormatterName == ConsoleFormatterNames.Json)
                foreach (var line in lines.Where(l => l.Length > 0))
                    logger.LogInformation("{Line}", line);
            else
                Console.WriteLine(string.Join(Environment.NewLine, lines));
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    internal static List<string> Lines(string url, bool isDevelopment)
    {
        var lines = new List<string>
        {
            $"Server running on {url}",
            $"Public endpoint: {url}/api/public",
            $"Private endpoint: {url}/api/private",
        };
        if (isDevelopment)
            lines.Add($"Swagger UI: {url}/swagger");
        return lines;
    }

    /// <summary>A listening address as a URL a person can open: a wildcard host becomes <c>localhost</c>.</summary>
    internal static string DisplayUrl(string address) =>
        address.Replace("://[::]", "://localhost").Replace("://+", "://localhost").Replace("://*", "://localhost")
            .Replace("://0.0.0.0", "://localhost").TrimEnd('/');

    /// <summary>Whether a listening address (<c>http://127.0.0.1:3000</c>, <c>http://[::]:3000</c>, <c>http://+:3000</c>…) is loopback only.</summary>
    public static bool IsLoopback(string address) =>
        Uri.TryCreate(address.Replace("://+", "://0.0.0.0").Replace("://*", "://0.0.0.0"), UriKind.Absolute, out var uri) && uri.IsLoopback;
}
