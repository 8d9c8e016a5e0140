using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace MySecureApi.Infrastructure.Auth.DPoP;

/// <summary>
/// RFC 9449 §8 server nonces without per-nonce state: a nonce is a time window's number and an HMAC of it under the
/// configured secret, so every instance with the same secret issues and accepts the same nonces. A nonce is accepted
/// in its own window and the next one.
/// </summary>
public sealed class DPoPNonces
{
    /// <summary>The response header that carries the nonce a client's next proof must use.</summary>
    public const string Header = "DPoP-Nonce";

    private const int MacBytes = 16;
    private const int NonceBytes = sizeof(long) + MacBytes;
    private static readonly int NonceLength = Base64Url.GetEncodedLength(NonceBytes);
    private static readonly byte[] Purpose = "MySecureApi DPoP nonce v1"u8.ToArray();

    private readonly byte[] key;
    private readonly long windowSeconds;
    private readonly TimeProvider time;
    private Issued issued = new(long.MinValue, "");

    private sealed record Issued(long Window, string Nonce);

    public DPoPNonces(IOptions<DPoPOptions> settings, TimeProvider time)
    {
        var options = settings.Value;
        key = string.IsNullOrEmpty(options.NonceSecret) ? RandomNumberGenerator.GetBytes(32) : Encoding.UTF8.GetBytes(options.NonceSecret);
        windowSeconds = options.NonceWindowSeconds;
        this.time = time;
        Enabled = options.Nonce && options.AcceptsDPoP;
    }

    public bool Enabled { get; }

    /// <summary>The nonce of the current window.</summary>
    public string Current()
    {
        var window = Window();
        var last = Volatile.Read(ref issued);
        if (last.Window == window)
            return last.Nonce;
        var nonce = Make(window);
        Volatile.Write(ref issued, new Issued(window, nonce));
        return nonce;
    }

    /// <summary>True when <paramref name="nonce"/> was made under this secret for the current or the previous window.</summary>
    public bool IsCurrent(string nonce)
    {
        if (nonce.Length != NonceLength)
            return false;
        Span<byte> bytes = stackalloc byte[NonceBytes];
        if (!Base64Url.TryDecodeFromChars(nonce, bytes, out var written) || written != NonceBytes)
            return false;
        var window = BinaryPrimitives.ReadInt64BigEndian(bytes);
        var now = Window();
        if (window != now && window != now - 1)
            return false;
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        Mac(window, mac);
        return CryptographicOperations.FixedTimeEquals(mac[..MacBytes], bytes[sizeof(long)..]);
    }

    private long Window() => time.GetUtcNow().ToUnixTimeSeconds() / windowSeconds;

    private string Make(long window)
    {
        Span<byte> bytes = stackalloc byte[NonceBytes];
        BinaryPrimitives.WriteInt64BigEndian(bytes, window);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        Mac(window, mac);
        mac[..MacBytes].CopyTo(bytes[sizeof(long)..]);
        return Base64Url.EncodeToString(bytes);
    }

    private void Mac(long window, Span<byte> destination)
    {
        Span<byte> message = stackalloc byte[Purpose.Length + sizeof(long)];
        Purpose.CopyTo(message);
        BinaryPrimitives.WriteInt64BigEndian(message[Purpose.Length..], window);
        HMACSHA256.HashData(key, message, destination);
    }
}
