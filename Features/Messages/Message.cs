using System.Text.Json.Serialization;
using MySecureApi.Features.Messages.Data;

namespace MySecureApi.Features.Messages;

/// <summary>
/// A message as every route answers it; timestamps RFC 3339 UTC with milliseconds. <c>actor</c> is there only when the
/// last write was made by someone acting for the author (a delegated token: an agent).
/// </summary>
internal sealed record Message(
    long Id, string Text, string Author, string CreatedAt, string UpdatedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Actor = null)
{
    public static Message From(MessageRecord record) =>
        new(record.Id, record.Text, record.Author, Timestamp(record.CreatedAt), Timestamp(record.UpdatedAt), record.Actor);

    /// <summary>Now, to the millisecond (what every database keeps exactly).</summary>
    public static DateTime Now(TimeProvider time)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMillisecond));
    }

    /// <summary><c>yyyy-MM-ddTHH:mm:ss.fffZ</c>, written digit by digit: a page formats a hundred of them.</summary>
    private static string Timestamp(DateTime value) => string.Create(24, value, static (text, at) =>
    {
        Digits(text[..4], at.Year);
        text[4] = '-';
        Digits(text[5..7], at.Month);
        text[7] = '-';
        Digits(text[8..10], at.Day);
        text[10] = 'T';
        Digits(text[11..13], at.Hour);
        text[13] = ':';
        Digits(text[14..16], at.Minute);
        text[16] = ':';
        Digits(text[17..19], at.Second);
        text[19] = '.';
        Digits(text[20..23], at.Millisecond);
        text[23] = 'Z';
    });

    private static void Digits(Span<char> into, int value)
    {
        for (var i = into.Length - 1; i >= 0; i--, value /= 10)
            into[i] = (char)('0' + value % 10);
    }
}
