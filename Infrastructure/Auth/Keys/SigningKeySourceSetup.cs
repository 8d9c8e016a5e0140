using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace MySecureApi.Infrastructure.Auth.Keys;

/// <summary>
/// Gives <see cref="SigningKeySource"/> (JwtBearer's configuration manager) its source once every Configure has run:
/// the tenant's metadata over the (test-replaceable) backchannel handler, or a key this process holds (<see cref="ILocalSigningKey"/>).
/// </summary>
internal sealed class SigningKeySourceSetup(SigningKeySource source, IOptions<Auth0Options> auth0, IServiceProvider services)
    : IPostConfigureOptions<JwtBearerOptions>
{
    public void PostConfigure(string? name, JwtBearerOptions options)
    {
        if (name != JwtBearerDefaults.AuthenticationScheme)
            return;
        var tenant = auth0.Value;
        if (tenant.UsesDevelopmentIssuer)
        {
            var configuration = new OpenIdConnectConfiguration { Issuer = tenant.Issuer };
            configuration.SigningKeys.Add(services.GetRequiredService<ILocalSigningKey>().Key);
            source.UseStatic(configuration);
        }
        else
        {
            var client = new HttpClient(options.BackchannelHttpHandler ?? new SocketsHttpHandler(), disposeHandler: false)
            {
                Timeout = options.BackchannelTimeout,
            };
            source.Attach(new KeySetFetcher(client, tenant.Issuer, options.BackchannelTimeout));
        }
    }
}
