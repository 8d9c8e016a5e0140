using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace MySecureApi.Tests.Fixtures;

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

    /// <summary>Discovery names another issuer than the one configured.</summary>
    WrongIssuer,

    /// <summary>Discovery points <c>jwks_uri</c> at plain HTTP on the issuer's host.</summary>
    JwksOverHttp,

    /// <summary>Discovery points <c>jwks_uri</c> at another host (which would serve the keys).</summary>
    JwksOnAnotherHost,

    /// <summary>Discovery points <c>jwks_uri</c> at another port of the issuer's host.</summary>
    JwksOnAnotherPort,

    /// <summary>The JWKS (with every published key) is padded past 1 MB and streamed without a Content-Length.</summary>
    OversizedJwks,
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

    private int discoveryRequests;
    private int cancelledRequests;
    private int jwksRequests;
    private volatile IssuerFault fault;
    private volatile SigningKey[] published;

    /// <param name="domain">the tenant's domain, <c>host</c> or <c>host:port</c></param>
    public TestIssuer(string domain = Domain)
    {
        Url = $"https://{domain}/";
        published = [Key];
    }

    /// <summary>The issuer identifier, <c>https://{domain}/</c>.</summary>
    public string Url { get; }

    private string JwksUri => $"{Url}.well-known/jwks.json";

    /// <summary>Every address the app asked for, in order (to prove what it did not ask for).</summary>
    public IReadOnlyList<string> Requested => requested.ToArray();

    private readonly System.Collections.Concurrent.ConcurrentQueue<string> requested = new();

    public SigningKey Key { get; } = new("test-key-1");

    /// <summary>A key the issuer never publishes.</summary>
    public SigningKey UnpublishedKey { get; } = new("test-key-unpublished");

    public IssuerFault Fault { get => fault; set => fault = value; }

    /// <summary>The keys in the JWKS (rotation: add a key; revocation: remove one).</summary>
    public SigningKey[] Published { get => published; set => published = value; }

    public int DiscoveryRequests => Volatile.Read(ref discoveryRequests);

    public int JwksRequests => Volatile.Read(ref jwksRequests);

    /// <summary>Requests the app gave up while the issuer hung (its timeout, or its shutdown).</summary>
    public int CancelledRequests => Volatile.Read(ref cancelledRequests);

    public HttpMessageHandler Handler => new IssuerHandler(this);

    /// <summary>A token as this tenant issues it: its <c>iss</c>, signed by its key.</summary>
    public TokenBuilder Token() => new TokenBuilder(Key).With("iss", Url);

    /// <summary>Answers one request as this tenant (for a handler that serves several).</summary>
    public Task<HttpResponseMessage> AnswerFor(Uri uri, CancellationToken cancel) => AnswerAsync(uri, cancel);

    private async Task<HttpResponseMessage> AnswerAsync(Uri uri, CancellationToken cancel)
    {
        requested.Enqueue(uri.AbsoluteUri);
        Interlocked.Increment(ref uri.AbsolutePath.EndsWith("jwks.json", StringComparison.Ordinal) ? ref jwksRequests : ref discoveryRequests);
        switch (Fault)
        {
            case IssuerFault.RefuseConnections:
                throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused",
                    new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused));
            case IssuerFault.Http500:
                return new HttpResponseMessage(HttpStatusCode.InternalServerError) { Content = new StringContent("oops") };
            case IssuerFault.Hang:
                try
                {
                    await Task.Delay(Timeout.Infinite, cancel);
                }
                catch (OperationCanceledException)
                {
                    Interlocked.Increment(ref cancelledRequests);
                    throw;
                }
                break;
            case IssuerFault.MalformedJson:
                return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{\"issuer\": \"https://tenant", Encoding.UTF8, "application/json") };
        }
        var body = uri.AbsoluteUri == $"{Url}.well-known/openid-configuration" ? Discovery()
            : uri.AbsolutePath == "/.well-known/jwks.json" ? KeySet()
            : null;
        if (body is null)
            return new HttpResponseMessage(HttpStatusCode.NotFound);
        if (Fault == IssuerFault.OversizedJwks && uri.AbsolutePath == "/.well-known/jwks.json")
        {
            body["padding"] = new string('p', 2 * 1024 * 1024);
            var streamed = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(body.ToJsonString())));
            streamed.Headers.ContentLength = null;
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = streamed };
        }
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
    }

    private JsonObject Discovery()
    {
        var authority = new Uri(Url);
        return new JsonObject
        {
            ["issuer"] = Fault == IssuerFault.WrongIssuer ? "https://another-tenant.test.local/" : Url,
            ["jwks_uri"] = Fault switch
            {
                IssuerFault.JwksOverHttp => $"http://{authority.Authority}/.well-known/jwks.json",
                IssuerFault.JwksOnAnotherHost => "https://keys.another-host.test/.well-known/jwks.json",
                IssuerFault.JwksOnAnotherPort => $"https://{authority.Host}:{(authority.Port == 8443 ? 9443 : 8443)}/.well-known/jwks.json",
                _ => JwksUri,
            },
            ["authorization_endpoint"] = $"{Url}authorize",
            ["token_endpoint"] = $"{Url}oauth/token",
            ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
        };
    }

    private JsonObject KeySet() => new()
    {
        ["keys"] = Fault == IssuerFault.EmptyKeySet ? new JsonArray() : new JsonArray(Published.Select(k => (JsonNode)k.ToJwk()).ToArray()),
    };

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
