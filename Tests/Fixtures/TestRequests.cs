using FastEndpoints;

namespace MySecureApi.Tests.Fixtures;

/// <summary>What every test class needs to send a request (imported everywhere with <c>using static</c>, see the csproj).</summary>
public static class TestRequests
{
    /// <summary>The running test's cancellation token.</summary>
    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>GET a slice's route, found from its endpoint type (FastEndpoints' typed helpers), with a bearer token or none.</summary>
    public static async Task<HttpResponseMessage> GetAsync<TEndpoint, TResponse>(this AppFixture app, string? token) where TEndpoint : IEndpoint =>
        (await app.Client(token).GETAsync<TEndpoint, TResponse>()).Response;

    /// <summary>The same for a slice with route parameters.</summary>
    public static async Task<HttpResponseMessage> GetAsync<TEndpoint, TRequest, TResponse>(this AppFixture app, TRequest request, string? token)
        where TEndpoint : IEndpoint where TRequest : notnull =>
        (await app.Client(token).GETAsync<TEndpoint, TRequest, TResponse>(request)).Response;

    /// <summary>A GET with a bearer token on one request (not on the client), so one client can carry several tokens.</summary>
    public static async Task<HttpResponseMessage> GetWithTokenAsync(this HttpClient client, string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new("Bearer", token);
        return await client.SendAsync(request, Ct);
    }

    /// <summary><c>GET /api/private</c> with a bearer token: the route every token-validation test asks.</summary>
    public static Task<HttpResponseMessage> GetPrivateAsync(this HttpClient client, string token) => client.GetWithTokenAsync("/api/private", token);
}
