namespace MySecureApi.Tests.Infrastructure;

/// <summary>A GET with a bearer token on one request (not on the client), so one client can carry several tokens.</summary>
public static class BearerRequests
{
    public static async Task<HttpResponseMessage> GetWithTokenAsync(this HttpClient client, string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new("Bearer", token);
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
