using Microsoft.Extensions.Options;

namespace MySecureApi.Features.DevIssuer;

/// <summary>The development key needs a file path.</summary>
internal sealed class DevIssuerOptionsValidator : IValidateOptions<DevIssuerOptions>
{
    public ValidateOptionsResult Validate(string? name, DevIssuerOptions options) =>
        string.IsNullOrWhiteSpace(options.KeyPath) || options.KeyPath.EndsWith('/')
            ? ValidateOptionsResult.Fail("DevIssuer:KeyPath must name a file, e.g. DevIssuer:KeyPath=/home/me/.config/MySecureApi/dev-signing-key.pem")
            : ValidateOptionsResult.Success;
}
