using System.Globalization;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace MySecureApi.Features.Messages.GetMessages;

/// <summary>The opaque <c>nextCursor</c>: base64url of the last id of the page.</summary>
internal static class Cursor
{
    private const string Prefix = "after:";

    /// <summary>The longest cursor this API issues is far shorter; anything longer is not one of them.</summary>
    public const int MaxLength = 64;

    public static string Encode(long lastId) => Base64UrlEncoder.Encode($"{Prefix}{lastId.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>The id a cursor continues after; null when the text is not a cursor this API issued.</summary>
    public static long? Decode(string cursor)
    {
        if (cursor.Length is 0 or > MaxLength)
            return null;
        string text;
        try
        {
            text = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(cursor));
        }
        catch (FormatException)
        {
            return null;
        }
        return text.StartsWith(Prefix, StringComparison.Ordinal)
               && long.TryParse(text.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0
            ? id
            : null;
    }
}
