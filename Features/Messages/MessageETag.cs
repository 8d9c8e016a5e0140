using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using MySecureApi.Features.Messages.Data;

namespace MySecureApi.Features.Messages;

/// <summary>A message's entity tag: its id and row version, so it changes exactly when the message does (RFC 9110 §8.8.3).</summary>
internal static class MessageETag
{
    /// <summary>The longest <c>If-Match</c>/<c>If-None-Match</c> the schemas describe: a few tags, not a page of them.</summary>
    public const int MaxHeaderLength = 512;

    public static string Of(MessageRecord record) => $"\"{record.Id}-{record.Version}\"";

    /// <summary><c>If-Match</c>: strong comparison; <c>*</c> matches any current message.</summary>
    public static bool IfMatch(StringValues header, string etag) => AnyMatches(header, etag, weak: false);

    /// <summary><c>If-None-Match</c>: weak comparison (a <c>W/</c> prefix is ignored); <c>*</c> matches.</summary>
    public static bool IfNoneMatch(StringValues header, string etag) => AnyMatches(header, etag, weak: true);

    private static bool AnyMatches(StringValues header, string etag, bool weak)
    {
        if (!EntityTagHeaderValue.TryParseList(header, out var tags))
            return false;
        return tags.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || (weak || !tag.IsWeak) && tag.Tag.Equals(etag, StringComparison.Ordinal));
    }
}
