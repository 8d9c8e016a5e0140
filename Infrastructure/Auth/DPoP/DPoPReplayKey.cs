using System.Security.Cryptography;
using System.Text;

namespace MySecureApi.Infrastructure.Auth.DPoP;

/// <summary>
/// A proof as the replay cache keeps it: 128 bits of the client key's thumbprint and 128 bits of the SHA-256 of its
/// <c>jti</c>, so that an entry has the same small size whatever the client sent.
/// </summary>
public readonly record struct DPoPReplayKey(UInt128 Client, UInt128 Proof)
{
    public static DPoPReplayKey From(string thumbprint, string jti)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(thumbprint), hash);
        var client = BitConverter.ToUInt128(hash);
        SHA256.HashData(Encoding.UTF8.GetBytes(jti), hash);
        return new DPoPReplayKey(client, BitConverter.ToUInt128(hash));
    }
}
