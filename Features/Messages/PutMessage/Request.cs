using System.Text.Json.Serialization;
using FastEndpoints;

namespace MySecureApi.Features.Messages.PutMessage;

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class Request : IMessageRoute
{
    public long Id { get; set; }

    /// <summary>1–500 characters after trimming; no control characters but line feed and tab.</summary>
    public string? Text { get; set; }

    internal sealed class Validator : Validator<Request>
    {
        public Validator() => RuleFor(r => r.Text).ValidMessageText();
    }
}
