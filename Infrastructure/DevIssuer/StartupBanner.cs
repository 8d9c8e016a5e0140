using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using MySecureApi.Infrastructure.Auth;

namespace MySecureApi.Infrastructure.DevIssuer;

/// <summary>Prints, like the seed, where the API listens; with the development issuer, how to get and use a token.</summary>
internal sealed class StartupBanner(
    IHostApplicationLifetime lifetime, IServer server, IOptions<Auth0Options> auth0, IHostEnvironment environment) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
            if (address is not null)
                Console.WriteLine(Text(address.Replace("://[::]", "://localhost").Replace("://+", "://localhost").Replace("://0.0.0.0", "://localhost").TrimEnd('/')));
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private string Text(string url)
    {
        var lines = new List<string>
        {
            $"Server running on {url}",
            $"Public endpoint: {url}/api/public",
            $"Private endpoint: {url}/api/private",
        };
        if (environment.IsDevelopment())
            lines.Add($"Swagger UI: {url}/swagger");
        if (auth0.Value.UsesDevelopmentIssuer)
            lines.AddRange(
            [
                "",
                $"No AUTH0_DOMAIN: this app is its own development issuer ({auth0.Value.Issuer}, audience {auth0.Value.Audience}).",
                "Get a token:  TOKEN=$(dotnet run -v q -- token --scope read:messages)",
                $"Call the API: curl -H \"Authorization: Bearer $TOKEN\" {url}/api/messages",
                "More options: dotnet run -- token --help",
            ]);
        else
            lines.Add($"Auth0 tenant: {auth0.Value.Issuer} (audience {auth0.Value.Audience})");
        return string.Join(Environment.NewLine, lines);
    }
}
