using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using MySecureApi.Infrastructure.Auth.Mtls;
using MySecureApi.Infrastructure.Auth.Settings;

namespace MySecureApi.Features.DevIssuer;

/// <summary>Mints tokens shaped like Auth0's, signed by <see cref="DevSigningKey"/>, for the configured audience.</summary>
public sealed class DevTokenFactory(DevSigningKey key, Auth0Settings auth0, TimeProvider time)
{
    public const string ClientId = "mysecureapi-dev";
    private static readonly JsonWebTokenHandler Handler = new();

    public string Issuer => auth0.Issuer;

    /// <summary>Returns the token and its lifetime; <paramref name="request"/> must have a valid lifetime.</summary>
    public (string Token, TimeSpan Lifetime) Mint(DevTokenRequest request)
    {
        var lifetime = DevTokenRequest.ParseLifetime(request.ExpiresIn)
            ?? throw new ArgumentException("expiresIn must be a duration such as 30m, 1h or 7d (at most 30 days)", nameof(request));
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var payload = new JsonObject
        {
            ["iss"] = Issuer,
            ["sub"] = request.Sub,
            ["aud"] = new JsonArray([auth0.Audience, .. (request.Audiences ?? []).Where(a => a != auth0.Audience).Select(a => (JsonNode?)a)]),
            ["iat"] = now,
            ["exp"] = now + (long)lifetime.TotalSeconds,
            ["azp"] = ClientId,
        };
        if (!string.IsNullOrWhiteSpace(request.Scope))
            payload["scope"] = request.Scope.Trim();
        if (request.Permissions is { Count: > 0 } permissions)
            payload["permissions"] = new JsonArray(permissions.Select(p => (JsonNode?)p).ToArray());
        if (!string.IsNullOrWhiteSpace(request.Jkt))
            payload["cnf"] = new JsonObject { ["jkt"] = request.Jkt.Trim() };
        if (!string.IsNullOrWhiteSpace(request.CertificateThumbprint))
            ((JsonObject)(payload["cnf"] ??= new JsonObject()))[CertificateBinding.Member] = request.CertificateThumbprint.Trim();
        foreach (var (name, value) in request.Claims ?? [])
            payload[name] = value?.DeepClone();
        return (Handler.CreateToken(payload.ToJsonString(), key.Credentials), lifetime);
    }
}
