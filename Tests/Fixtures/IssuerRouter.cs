namespace MySecureApi.Tests.Fixtures;

/// <summary>
/// Several tenants behind one backchannel handler, chosen by the request's host and port, as separate hosts on the
/// network would be. A request for any other address is recorded and refused.
/// </summary>
public sealed class IssuerRouter(params TestIssuer[] issuers) : HttpMessageHandler
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> unrouted = new();

    /// <summary>Addresses asked for that no tenant serves.</summary>
    public IReadOnlyList<string> Unrouted => unrouted.ToArray();

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri!;
        if (issuers.FirstOrDefault(i => new Uri(i.Url).Authority == uri.Authority) is { } issuer)
            return issuer.AnswerFor(uri, cancellationToken);
        unrouted.Enqueue(uri.AbsoluteUri);
        throw new HttpRequestException(HttpRequestError.NameResolutionError, $"No such host: {uri.Host}");
    }
}
