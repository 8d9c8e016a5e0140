using System.Text;
using FluentValidation;

namespace MySecureApi.Features.Messages;

/// <summary>
/// The rule for a message's text (docs/messages.md): after trimming surrounding whitespace, 1–500 Unicode scalar values, no
/// control characters other than line feed and tab (nor lone surrogates, which no database can store).
/// </summary>
internal static class MessageText
{
    public const int MaxLength = 500;

    /// <summary>The largest <c>POST</c>/<c>PUT</c> body (16 KiB): room for 500 characters however escaped, and no more.</summary>
    public const long MaxBodyBytes = 16 * 1024;

    public static string Normalize(string text) => text.Trim();

    public static IRuleBuilderOptions<T, string?> ValidMessageText<T>(this IRuleBuilderInitial<T, string?> rule) => rule
        .Cascade(CascadeMode.Stop)
        .NotNull().WithMessage("The text is required.")
        .Must(text => Normalize(text!).Length > 0).WithMessage("The text is empty.")
        .Must(text => WellFormed(text!)).WithMessage("The text has control characters (other than line feed and tab) or broken surrogates.")
        .Must(text => Normalize(text!).EnumerateRunes().Count() <= MaxLength).WithMessage($"The text is longer than {MaxLength} characters.");

    private static bool WellFormed(string text)
    {
        var rest = text.AsSpan();
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(rest, out var rune, out var consumed) != System.Buffers.OperationStatus.Done)
                return false;
            if (Rune.IsControl(rune) && rune.Value is not ('\n' or '\t'))
                return false;
            rest = rest[consumed..];
        }
        return true;
    }
}
