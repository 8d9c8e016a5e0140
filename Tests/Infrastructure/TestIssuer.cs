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

/// <summary>What the issuer does wrong, for fault tests.</summary>
public enum IssuerFault
{
    None,
    RefuseConnections,
    Http500,
    Hang,
    MalformedJson,
    EmptyKeySet,
}

/// <summary>
/// The tenant as Auth0 publishes it: OIDC discovery and a JWKS, answered in-process through
/// <c>JwtBearerOptions.BackchannelHttpHandler</c>, so the real metadata path of JwtBearer is used. Faults, key
/// rotation and request counts are controllable for the fault tests.
/// </summary>
public sealed class TestIssuer : IDisposable
{
    public const string Domain = "tenant.test.local";
    public const string Issuer = $"https://{Domain}/";
    public const string JwksUri = $"{Issuer}.well-known/jwks.json";

    private int discoveryRequests;
    private int jwksRequests;
    private volatile IssuerFault fault;
    private volatile SigningKey[] published;

    public TestIssuer() => published = [Key];

    public SigningKey Key { get; } = new("test-key-1");

    /// <summary>A key the issuer never publishes.</summary>
    public SigningKey UnpublishedKey { get; } = new("test-key-unpublished");

    public IssuerFault Fault { get => fault; set => fault = value; }

    /// <summary>The keys in the JWKS (rotation: add a key; revocation: remove one).</summary>
    public SigningKey[] Published { get => published; set => published = value; }

    public int DiscoveryRequests => Volatile.Read(ref discoveryRequests);

    public int JwksRequests => Volatile.Read(ref jwksRequests);

    public HttpMessageHandler Handler => new IssuerHandler(this);

    private async Task<HttpResponseMessage> AnswerAsync(Uri uri, CancellationToken cancel)
    {
        Interlocked.Increment(ref uri.AbsoluteUri == JwksUri ? ref jwksRequests : ref discoveryRequests);
        switch (Fault)
        {
            case IssuerFault.RefuseConnections:
                throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused",
                    new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused));
            case IssuerFault.Http500:
                return new HttpResponseMessage(HttpStatusCode.InternalServerError) { Content = new StringContent("oops") };
            case IssuerFault.Hang:
                await Task.Delay(Timeout.Infinite, cancel);
                break;
            case IssuerFault.MalformedJson:
                return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{\"issuer\": \"https://tenant", Encoding.UTF8, "application/json") };
        }
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
            JwksUri => new JsonObject
            {
                ["keys"] = Fault == IssuerFault.EmptyKeySet ? new JsonArray() : new JsonArray(Published.Select(k => (JsonNode)k.ToJwk()).ToArray()),
            },
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
            issuer.AnswerAsync(request.RequestUri!, cancellationToken);
    }
}
