using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using FastEndpoints;
using FluentValidation;

namespace MySecureApi.Features.Messages.PostMessage;

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class Request
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>1–500 characters after trimming; no control characters but line feed and tab.</summary>
    [Required, MaxLength(MessageText.MaxLength)]
    public string? Text { get; set; }

    /// <summary>Send the same key with a retry and the message is created once (1–255 visible ASCII characters, kept 24 h).</summary>
    [FromHeader(IdempotencyKeyHeader, isRequired: false, RemoveFromSchema = true)]
    [StringLength(MaxIdempotencyKeyLength, MinimumLength = 1), RegularExpression("^[!-~]+$")]
    public string? IdempotencyKey { get; set; }

    public const int MaxIdempotencyKeyLength = 255;

    internal sealed class Validator : Validator<Request>
    {
        public Validator()
        {
            RuleFor(r => r.Text).ValidMessageText();
            RuleFor(r => r.IdempotencyKey)
                .Must(key => key!.Length is >= 1 and <= MaxIdempotencyKeyLength && key.All(c => c is >= '!' and <= '~'))
                .When(r => r.IdempotencyKey is not null)
                .WithMessage("The Idempotency-Key has 1 to 255 visible ASCII characters.");
        }
    }
}
