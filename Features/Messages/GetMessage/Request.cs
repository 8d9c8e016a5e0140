namespace MySecureApi.Features.Messages.GetMessage;

internal sealed class Request : IMessageRoute
{
    public long Id { get; set; }
}
