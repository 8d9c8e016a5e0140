using System.ComponentModel.DataAnnotations;
using FastEndpoints;

namespace MySecureApi.Features.Messages.DeleteMessage;

internal sealed class Request : IMessageRoute
{
    [Range(1, long.MaxValue)]
    public long Id { get; set; }

    /// <summary>The <c>ETag</c> you read: the message is deleted only if it is still that version (else 412).</summary>
    [FromHeader("If-Match", isRequired: false, RemoveFromSchema = true)]
    [MaxLength(MessageETag.MaxHeaderLength)]
    public string? IfMatch { get; set; }
}
