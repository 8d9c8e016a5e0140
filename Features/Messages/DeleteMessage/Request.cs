namespace MySecureApi.Features.Messages.DeleteMessage;

internal sealed class Request : IMessageRoute
{
    public long Id { get; set; }
}
