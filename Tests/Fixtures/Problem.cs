using System.Net;
using System.Text.Json;

namespace MySecureApi.Tests.Fixtures;

/// <summary>Asserts the documented error shape (docs/http-api.md): status first, then body, then headers.</summary>
public static class Problem
{
    public static async Task<JsonElement> AssertAsync(HttpResponseMessage response, HttpStatusCode status, string error, string message)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal((int)status, body.GetProperty("status").GetInt32());
        Assert.Equal(error, body.GetProperty("error").GetString());
        Assert.Equal(message, body.GetProperty("message").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("traceId").GetString()));
        return body;
    }

    /// <summary>The RFC 9728 attribute that ends every challenge, for the in-memory test server's base address.</summary>
    public const string ResourceMetadata = ", resource_metadata=\"http://localhost/.well-known/oauth-protected-resource\"";

    /// <summary>The DPoP challenge that accompanies every Bearer challenge in the default (Allowed) mode.</summary>
    public const string DPoPChallenge = "DPoP realm=\"api\", algs=\"ES256 ES384 RS256 PS256 EdDSA\"" + ResourceMetadata;

    /// <summary>All <c>WWW-Authenticate</c> challenges, joined with ", ".</summary>
    public static string? Challenge(HttpResponseMessage response) =>
        response.Headers.TryGetValues("WWW-Authenticate", out var values) ? string.Join(", ", values) : null;

    /// <summary>Asserts the Bearer challenge (which carries the error) followed by the plain DPoP one, each with <see cref="ResourceMetadata"/>.</summary>
    public static void AssertChallenge(HttpResponseMessage response, string bearer) =>
        Assert.Equal($"{bearer}{ResourceMetadata}, {DPoPChallenge}", Challenge(response));

    /// <summary>401 <c>invalid_token</c> with the fixed description in both body and challenge.</summary>
    public static async Task AssertInvalidTokenAsync(HttpResponseMessage response, string description)
    {
        var body = await AssertAsync(response, HttpStatusCode.Unauthorized, "invalid_token", "Authentication required");
        Assert.Equal(description, body.GetProperty("detail").GetString());
        AssertChallenge(response, $"Bearer realm=\"api\", error=\"invalid_token\", error_description=\"{description}\"");
    }

    public static async Task AssertUnauthorizedAsync(HttpResponseMessage response)
    {
        await AssertAsync(response, HttpStatusCode.Unauthorized, "unauthorized", "Authentication required");
        AssertChallenge(response, "Bearer realm=\"api\"");
    }

    public static async Task AssertInvalidRequestAsync(HttpResponseMessage response, string description)
    {
        var body = await AssertAsync(response, HttpStatusCode.BadRequest, "invalid_request", "Authentication required");
        Assert.Equal(description, body.GetProperty("detail").GetString());
        AssertChallenge(response, $"Bearer realm=\"api\", error=\"invalid_request\", error_description=\"{description}\"");
    }

    public static async Task AssertInsufficientScopeAsync(HttpResponseMessage response, string scope)
    {
        var body = await AssertAsync(response, HttpStatusCode.Forbidden, "insufficient_scope", "Missing required permissions");
        Assert.Equal("Insufficient Scope", body.GetProperty("detail").GetString());
        AssertChallenge(response, $"Bearer realm=\"api\", error=\"insufficient_scope\", error_description=\"Insufficient Scope\", scope=\"{scope}\"");
    }

    public static async Task AssertForbiddenAsync(HttpResponseMessage response)
    {
        await AssertAsync(response, HttpStatusCode.Forbidden, "forbidden", "Access denied");
        Assert.Null(Challenge(response));
    }
}
