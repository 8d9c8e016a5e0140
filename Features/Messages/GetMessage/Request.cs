using System.ComponentModel.DataAnnotations;
using FastEndpoints;

namespace MySecureApi.Features.Messages.GetMessage;

internal sealed class Request : IMessageRoute
{
    [Range(1, long.MaxValue)]
    public long Id { get; set; }

    /// <summary>The <c>ETag</c> you hold: when it is still current, the answer is 304 with no body.</summary>
    [FromHeader("If-None-Match", isRequired: false, RemoveFromSchema = true)]
    [MaxLength(MessageETag.MaxHeaderLength)]
    public string? IfNoneMatch { get; set; }
}
