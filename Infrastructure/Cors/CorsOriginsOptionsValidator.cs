using Microsoft.Extensions.Options;
using MySecureApi.Infrastructure.Hosting;

namespace MySecureApi.Infrastructure.Cors;

/// <summary>Each allowed origin is <c>*</c> or a bare <c>scheme://host[:port]</c>, as browsers send <c>Origin</c>.</summary>
internal sealed class CorsOriginsOptionsValidator : IValidateOptions<CorsOriginsOptions>
{
    public ValidateOptionsResult Validate(string? name, CorsOriginsOptions options) =>
        options.AllowedOrigins.FirstOrDefault(origin => origin != "*" && !IsOrigin(origin)) is { } bad
            ? ValidateOptionsResult.Fail($"{SeedVariables.AllowedOrigin} has \"{bad}\", not an origin: use scheme://host[:port] without a path, e.g. {SeedVariables.AllowedOrigin}=https://app.example.com")
            : ValidateOptionsResult.Success;

    private static bool IsOrigin(string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
        && string.Equals(origin, uri.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase);
}
