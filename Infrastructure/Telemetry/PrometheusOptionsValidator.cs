using System.Net;
using Microsoft.Extensions.Options;
using MySecureApi.Infrastructure.Hosting;

namespace MySecureApi.Infrastructure.Telemetry;

/// <summary>Refuses to start with a metrics port that is out of range, not an IP address to listen on, or the API's own.</summary>
internal sealed class PrometheusOptionsValidator(IConfiguration configuration) : IValidateOptions<PrometheusOptions>
{
    public ValidateOptionsResult Validate(string? name, PrometheusOptions options)
    {
        if (!options.Enabled)
            return ValidateOptionsResult.Success;
        if (SettingRules.Range($"{PrometheusOptions.Section}:Port", options.Port, 1, 65535, 9464) is { } range)
            return ValidateOptionsResult.Fail(range);
        if (!IPAddress.TryParse(options.Host, out _))
            return ValidateOptionsResult.Fail($"{PrometheusOptions.Section}:Host must be an IP address to listen on, e.g. {PrometheusOptions.Section}:Host=127.0.0.1");
        if (options.Port == HostingSetup.ConfiguredPort(configuration))
            return ValidateOptionsResult.Fail($"{PrometheusOptions.Section}:Port must differ from the API's port, so that /metrics is never served to API clients, e.g. {PrometheusOptions.Section}:Port=9464");
        return ValidateOptionsResult.Success;
    }
}
