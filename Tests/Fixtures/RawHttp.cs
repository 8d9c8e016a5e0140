using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Mvc.Testing;

namespace MySecureApi.Tests.Fixtures;

/// <summary>
/// Byte-exact HTTP/1.1 over a loopback socket to the app on real Kestrel, for requests <see cref="HttpClient"/>
/// would normalise (a tab after the scheme, an empty header, repeated headers).
/// </summary>
public static class RawHttp
{
    public sealed record Answer(int Status, IReadOnlyList<(string Name, string Value)> Headers, string Body)
    {
        public string? Header(string name) => Headers.FirstOrDefault(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

        /// <summary>Every value of a header that may repeat (<c>WWW-Authenticate</c>).</summary>
        public IReadOnlyList<string> All(string name) =>
            Headers.Where(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).ToList();
    }

    /// <summary>Starts <paramref name="factory"/> on Kestrel at 127.0.0.1 with an ephemeral port; returns its base address.</summary>
    public static Uri StartOnLoopback(WebApplicationFactory<Program> factory)
    {
        factory.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var address = factory.CreateClient().BaseAddress!;
        Assert.True(IPAddress.IsLoopback(IPAddress.Parse(address.Host)), $"bound to {address}");
        return address;
    }

    public static Task<Answer> SendAsync(Uri server, string method, string path, params string[] headerLines)
    {
        var head = new StringBuilder($"{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
        foreach (var line in headerLines)
            head.Append(line).Append("\r\n");
        head.Append("\r\n");
        return SendRawAsync(server, head.ToString());
    }

    /// <summary>Sends <paramref name="request"/> exactly as written (request line, headers, body) and reads the answer.</summary>
    public static async Task<Answer> SendRawAsync(Uri server, string request)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, server.Port, Ct);
        await using var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.Latin1.GetBytes(request), Ct);

        using var reader = new StreamReader(stream, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(Ct);
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var lines = text[..split].Split("\r\n");
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).Select(p => (p[0].Trim(), p[1].Trim())).ToList();
        return new Answer(int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), headers, Dechunk(text[(split + 4)..], headers));
    }

    private static string Dechunk(string body, List<(string Name, string Value)> headers)
    {
        if (!headers.Any(h => h.Name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) && h.Value.Contains("chunked")))
            return body;
        var result = new StringBuilder();
        var position = 0;
        while (true)
        {
            var lineEnd = body.IndexOf("\r\n", position, StringComparison.Ordinal);
            var size = Convert.ToInt32(body[position..lineEnd].Split(';')[0], 16);
            if (size == 0)
                return result.ToString();
            result.Append(body, lineEnd + 2, size);
            position = lineEnd + 2 + size + 2;
        }
    }
}
