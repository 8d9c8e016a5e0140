using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using FastEndpoints;

namespace MySecureApi.Features.Messages.PutMessage;

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class Request : IMessageRoute
{
    [Range(1, long.MaxValue)]
    public long Id { get; set; }

    /// <summary>The <c>ETag</c> you read: the change is made only if the message is still that version (else 412).</summary>
    [FromHeader("If-Match", isRequired: false, RemoveFromSchema = true)]
    [MaxLength(MessageETag.MaxHeaderLength)]
    public string? IfMatch { get; set; }

    /// <summary>1–500 characters after trimming; no control characters but line feed and tab.</summary>
    [Required, MaxLength(MessageText.MaxLength)]
    public string? Text { get; set; }

    internal sealed class Validator : Validator<Request>
    {
        public Validator() => RuleFor(r => r.Text).ValidMessageText();
    }
}
