using System.Net.Sockets;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace MySecureApi.Infrastructure.Auth.Keys;

/// <summary>
/// One attempt at the issuer's discovery document and JWKS (Microsoft.IdentityModel's retriever and parser), bounded
/// by the backchannel timeout, with the cause of a failure put in words for the log.
/// </summary>
internal sealed class KeySetFetcher(HttpClient client, string issuer, TimeSpan timeout, CancellationToken stopping)
{
    /// <summary>The cause of an attempt cut short because the app is stopping: not a failure of the issuer.</summary>
    public const string Stopped = "the app is stopping";

    public sealed record Result(OpenIdConnectConfiguration? Configuration, string Cause)
    {
        public static Result Failed(string cause) => new(null, cause);
    }

    /// <summary>The issuer's host, with its port when not 443: where every metadata address must point, and what logs name.</summary>
    public string Host { get; } = new Uri(issuer).Authority;

    /// <summary>Most bytes a discovery document or JWKS may have; a bigger one is refused while it streams in.</summary>
    public const int MaxDocumentBytes = 1024 * 1024;

    public async Task<Result> FetchAsync()
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        cts.CancelAfter(timeout);
        try
        {
            var configuration = await OpenIdConnectConfigurationRetriever.GetAsync(
                $"{issuer}.well-known/openid-configuration", new Retriever(client, Host), cts.Token);
            if (configuration.Issuer != issuer)
                return Result.Failed("the discovery document names another issuer");
            return configuration.SigningKeys.Count == 0 ? Result.Failed("the JWKS has no usable keys") : new Result(configuration, "");
        }
        catch (OperationCanceledException)
        {
            return Result.Failed(stopping.IsCancellationRequested ? Stopped : $"no answer within {timeout.TotalSeconds:0} s");
        }
        catch (Exception e)
        {
            return Result.Failed(Describe(e));
        }
    }

    public static bool SameKeys(OpenIdConnectConfiguration? a, OpenIdConnectConfiguration b) =>
        a is not null && Fingerprints(a).SequenceEqual(Fingerprints(b));

    private static IEnumerable<string> Fingerprints(OpenIdConnectConfiguration configuration) =>
        configuration.SigningKeys.Select(key => key switch
        {
            JsonWebKey jwk => $"{jwk.Kid}:{jwk.N}{jwk.X}",
            RsaSecurityKey rsa => $"{rsa.KeyId}:{Convert.ToBase64String(rsa.Parameters.Modulus ?? [])}",
            _ => key.KeyId,
        }).Order(StringComparer.Ordinal);

    private static string Describe(Exception e) => e switch
    {
        FetchException fetch => fetch.Message,
        HttpRequestException { InnerException: SocketException socket } => $"connection failed ({socket.SocketErrorCode})",
        HttpRequestException http => $"request failed ({http.HttpRequestError})",
        ArgumentException or System.Text.Json.JsonException or FormatException => "malformed discovery or JWKS JSON",
        _ when e.InnerException is { } inner => Describe(inner),
        _ => e.GetType().Name,
    };

    private sealed class FetchException(string message) : Exception(message);

    /// <summary>HTTPS only, same host and port as the issuer, 1 MB at most, and the HTTP status kept for the log.</summary>
    private sealed class Retriever(HttpClient client, string host) : IDocumentRetriever
    {
        public async Task<string> GetDocumentAsync(string address, CancellationToken cancel)
        {
            if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps
                || !string.Equals(uri.Authority, host, StringComparison.OrdinalIgnoreCase))
                throw new FetchException("a metadata address is not HTTPS on the issuer's host");
            using var response = await client.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancel);
            if (!response.IsSuccessStatusCode)
                throw new FetchException($"HTTP {(int)response.StatusCode} for {uri.AbsolutePath}");
            if (response.Content.Headers.ContentLength > MaxDocumentBytes)
                throw TooLarge(uri);
            await using var stream = await response.Content.ReadAsStreamAsync(cancel);
            using var document = new MemoryStream();
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = await stream.ReadAsync(buffer, cancel)) > 0)
            {
                if (document.Length + read > MaxDocumentBytes)
                    throw TooLarge(uri);
                document.Write(buffer, 0, read);
            }
            return System.Text.Encoding.UTF8.GetString(document.GetBuffer(), 0, (int)document.Length);
        }

        private static FetchException TooLarge(Uri uri) => new($"{uri.AbsolutePath} is larger than {MaxDocumentBytes / 1024 / 1024} MB");
    }
}
