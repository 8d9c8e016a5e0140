using Microsoft.Extensions.Options;
using MySecureApi.Infrastructure.Auth.Settings;

namespace MySecureApi.Features.Mcp;

/// <summary>An enabled MCP endpoint needs a resource identifier it can bind tokens to (the development issuer has one).</summary>
internal sealed class McpOptionsValidator(Auth0Settings auth0) : IValidateOptions<McpOptions>
{
    public ValidateOptionsResult Validate(string? name, McpOptions options)
    {
        if (!options.IsOn(auth0.UsesDevelopmentIssuer))
            return ValidateOptionsResult.Success;
        if (options.Resource is null)
            return auth0.UsesDevelopmentIssuer ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail("Mcp:Resource must be set when Mcp:Enabled is true: the identifier of the Auth0 API the agents' tokens are for, e.g. Mcp:Resource=https://api.example.com/mcp");
        if (!Uri.TryCreate(options.Resource, UriKind.Absolute, out var uri) || uri.Fragment.Length > 0 || uri.Query.Length > 0
            || !(uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback)))
            return ValidateOptionsResult.Fail("Mcp:Resource must be an https URL without query or fragment (http only on loopback), e.g. Mcp:Resource=https://api.example.com/mcp");
        return ValidateOptionsResult.Success;
    }
}
