using System.Globalization;
using MySecureApi.Features.Messages.Data;

namespace MySecureApi.Features.Messages;

/// <summary>A message as every route answers it; timestamps RFC 3339 UTC with milliseconds.</summary>
internal sealed record Message(long Id, string Text, string Author, string CreatedAt, string UpdatedAt)
{
    public static Message From(MessageRecord record) =>
        new(record.Id, record.Text, record.Author, Timestamp(record.CreatedAt), Timestamp(record.UpdatedAt));

    /// <summary>Now, to the millisecond (what every database keeps exactly).</summary>
    public static DateTime Now(TimeProvider time)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMillisecond));
    }

    private static string Timestamp(DateTime value) =>
        DateTime.SpecifyKind(value, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
