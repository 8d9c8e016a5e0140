using DotNetEnv;
using DotNetEnv.Configuration;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;

namespace MySecureApi.Infrastructure.Hosting;

/// <summary>The seed's hosting conventions: a <c>.env</c> file and <c>PORT</c>.</summary>
public static class HostingSetup
{
    public const string PortVariable = "PORT";
    public const int DefaultPort = 3000;

    /// <summary>
    /// Adds <c>.env</c> from the content root just below the real environment variables, so that they win over it,
    /// without touching the process environment.
    /// </summary>
    public static WebApplicationBuilder AddDotEnvFile(this WebApplicationBuilder builder)
    {
        var path = Path.Combine(builder.Environment.ContentRootPath, ".env");
        if (!File.Exists(path))
            return builder;

        var sources = builder.Configuration.Sources;
        var envFile = new EnvConfigurationSource([path], new LoadOptions(setEnvVars: false, clobberExistingVars: true, onlyExactPath: true));
        var firstEnvironment = sources.Select((source, index) => (source, index))
            .FirstOrDefault(s => s.source is EnvironmentVariablesConfigurationSource { Prefix: null or "" });
        if (firstEnvironment.source is null)
            sources.Add(envFile);
        else
            sources.Insert(firstEnvironment.index, envFile);
        return builder;
    }

    /// <summary><c>PORT</c>, or 3000 when unset.</summary>
    /// <exception cref="StartupConfigurationException">PORT is set but not a port number</exception>
    public static int ConfiguredPort(IConfiguration configuration)
    {
        var value = configuration[PortVariable];
        if (string.IsNullOrWhiteSpace(value))
            return DefaultPort;
        return int.TryParse(value, out var port) && port is > 0 and <= 65535
            ? port
            : throw new StartupConfigurationException($"{PortVariable} is not a port number: set it to a number from 1 to 65535, e.g. {PortVariable}=3000");
    }

    /// <summary>
    /// A start-up failure caused by configuration: options validation, a bad <c>PORT</c>, or a value the binder cannot
    /// convert (<c>AUTH0_DPOP_MODE=sometimes</c>); <c>Program</c> prints its message as one line.
    /// </summary>
    public static bool IsConfigurationError(Exception e) =>
        e is Microsoft.Extensions.Options.OptionsValidationException or StartupConfigurationException
        || e is InvalidOperationException { Message: var message } && message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal);

    /// <summary>
    /// Configuration errors stop the app with the one line <c>Program</c> prints; the host's own report of the same
    /// failure (a stack trace under "Hosting failed to start") is left out.
    /// </summary>
    public static WebApplicationBuilder ReportStartupErrorsInOneLine(this WebApplicationBuilder builder)
    {
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        return builder;
    }

    /// <summary>
    /// <c>appsettings.json</c> and <c>appsettings.{Environment}.json</c> ship with the app and hold its defaults (log
    /// levels among them). ASP.NET reads them from the content root, the working directory: started from elsewhere (a
    /// service unit without <c>WorkingDirectory</c>, <c>dotnet /srv/api/MySecureApi.dll</c> run from <c>/</c>) it would
    /// silently run without them. A file the working directory does not have is read from the app's own folder
    /// instead. The working directory stays the content root: <c>.env</c> and <c>data/</c> are found there.
    /// </summary>
    public static WebApplicationBuilder UseShippedSettingsFiles(this WebApplicationBuilder builder)
    {
        IConfigurationBuilder configuration = builder.Configuration;
        var shipped = AppContext.BaseDirectory;
        for (var i = 0; i < configuration.Sources.Count; i++)
        {
            if (configuration.Sources[i] is not JsonConfigurationSource { Path: { } path } json
                || !path.StartsWith("appsettings", StringComparison.Ordinal)
                || File.Exists(Path.Combine(builder.Environment.ContentRootPath, path))
                || !File.Exists(Path.Combine(shipped, path)))
                continue;
            configuration.Sources[i] = new JsonConfigurationSource
            {
                Path = path,
                Optional = json.Optional,
                ReloadOnChange = json.ReloadOnChange,
                FileProvider = new PhysicalFileProvider(shipped),
            };
        }
        return builder;
    }

    /// <summary>Where the API listens, printed at start-up like the seed's, with the lines each capability adds (<see cref="IStartupBannerSection"/>).</summary>
    public static IServiceCollection AddStartupBanner(this IServiceCollection services) => services.AddHostedService<StartupBanner>();

    /// <summary>
    /// Listens on <c>PORT</c> (default 3000) unless <c>ASPNETCORE_URLS</c>/<c>--urls</c> or Kestrel endpoints are configured:
    /// loopback only in Development, every interface elsewhere (like the seed's <c>app.listen(PORT)</c>).
    /// </summary>
    public static WebApplicationBuilder UsePortVariable(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        if (!string.IsNullOrEmpty(configuration[WebHostDefaults.ServerUrlsKey])
            || configuration.GetSection("Kestrel:Endpoints").Exists())
            return builder;

        var port = ConfiguredPort(configuration);
        var host = builder.Environment.IsDevelopment() ? "localhost" : "+";
        builder.WebHost.UseUrls($"http://{host}:{port}");
        return builder;
    }
}

/// <summary>A configuration value that keeps the app from starting; its message names the variable and an example.</summary>
public sealed class StartupConfigurationException(string message) : Exception(message);
