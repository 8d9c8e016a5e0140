using System.ComponentModel.DataAnnotations;
using FastEndpoints;
using FluentValidation;

namespace MySecureApi.Features.Messages.GetMessages;

internal sealed class Request
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 100;

    /// <summary>Messages per page, 1–100 (default 50).</summary>
    [QueryParam, Range(1, MaxLimit)]
    public int? Limit { get; set; }

    /// <summary>The <c>nextCursor</c> of the page before.</summary>
    [QueryParam, MaxLength(GetMessages.Cursor.MaxLength)]
    public string? Cursor { get; set; }

    internal sealed class Validator : Validator<Request>
    {
        public Validator()
        {
            RuleFor(r => r.Limit).InclusiveBetween(1, MaxLimit).When(r => r.Limit is not null).WithMessage($"The limit is a number from 1 to {MaxLimit}.");
            RuleFor(r => r.Cursor).Must(c => GetMessages.Cursor.Decode(c!) is not null).When(r => r.Cursor is not null)
                .WithMessage("The cursor is not one this API issued.");
        }
    }
}
