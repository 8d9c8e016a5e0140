using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using MySecureApi.Infrastructure.Auth.Settings;

namespace MySecureApi.Infrastructure.Auth.Keys;

/// <summary>
/// Gives each <see cref="SigningKeySource"/> its source once every Configure of JwtBearer has run: the issuer's
/// metadata over JwtBearer's (test-replaceable) backchannel handler, or a key this process holds (<see cref="ILocalSigningKey"/>).
/// </summary>
internal sealed class SigningKeySourceSetup(TrustedIssuers issuers, Auth0Settings auth0, IServiceProvider services)
    : IPostConfigureOptions<JwtBearerOptions>
{
    public void PostConfigure(string? name, JwtBearerOptions options)
    {
        if (name != JwtBearerDefaults.AuthenticationScheme)
            return;
        if (auth0.UsesDevelopmentIssuer)
        {
            var source = issuers.All[0];
            var configuration = new OpenIdConnectConfiguration { Issuer = source.Issuer };
            configuration.SigningKeys.Add(services.GetRequiredService<ILocalSigningKey>().Key);
            source.UseStatic(configuration);
            return;
        }
        var client = new HttpClient(options.BackchannelHttpHandler ?? new SocketsHttpHandler(), disposeHandler: false)
        {
            Timeout = options.BackchannelTimeout,
        };
        foreach (var source in issuers.All)
            source.Attach(new KeySetFetcher(client, source.Issuer, options.BackchannelTimeout, issuers.Stopping));
    }
}
