using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace MySecureApi.Tests.Infrastructure;

/// <summary>An RSA signing key with its <c>kid</c>.</summary>
public sealed class SigningKey(string kid) : IDisposable
{
    public string Kid { get; } = kid;
    public RSA Rsa { get; } = RSA.Create(2048);

    public JsonObject ToJwk()
    {
        var p = Rsa.ExportParameters(false);
        return new JsonObject
        {
            ["kty"] = "RSA", ["use"] = "sig", ["alg"] = "RS256", ["kid"] = Kid,
            ["n"] = Base64UrlEncoder.Encode(p.Modulus!), ["e"] = Base64UrlEncoder.Encode(p.Exponent!),
        };
    }

    public void Dispose() => Rsa.Dispose();
}

/// <summary>
/// The tenant as Auth0 publishes it: OIDC discovery and a JWKS, answered in-process through
/// <c>JwtBearerOptions.BackchannelHttpHandler</c>, so the real metadata path of JwtBearer is used.
/// </summary>
public sealed class TestIssuer : IDisposable
{
    public const string Domain = "tenant.test.local";
    public const string Issuer = $"https://{Domain}/";
    public const string JwksUri = $"{Issuer}.well-known/jwks.json";

    private int requests;

    public SigningKey Key { get; } = new("test-key-1");

    /// <summary>A key the issuer never publishes.</summary>
    public SigningKey UnpublishedKey { get; } = new("test-key-unpublished");

    public int Requests => Volatile.Read(ref requests);

    public HttpMessageHandler Handler => new IssuerHandler(this);

    private HttpResponseMessage Answer(Uri uri)
    {
        Interlocked.Increment(ref requests);
        var body = uri.AbsoluteUri switch
        {
            $"{Issuer}.well-known/openid-configuration" => new JsonObject
            {
                ["issuer"] = Issuer,
                ["jwks_uri"] = JwksUri,
                ["authorization_endpoint"] = $"{Issuer}authorize",
                ["token_endpoint"] = $"{Issuer}oauth/token",
                ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
            },
            JwksUri => new JsonObject { ["keys"] = new JsonArray(Key.ToJwk()) },
            _ => null,
        };
        return body is null
            ? new HttpResponseMessage(HttpStatusCode.NotFound)
            : new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
    }

    public void Dispose()
    {
        Key.Dispose();
        UnpublishedKey.Dispose();
    }

    private sealed class IssuerHandler(TestIssuer issuer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(issuer.Answer(request.RequestUri!));
    }
}
