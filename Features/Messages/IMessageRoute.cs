namespace MySecureApi.Features.Messages;

/// <summary>A request addressed to one stored message by its <c>{id}</c>.</summary>
internal interface IMessageRoute
{
    long Id { get; }
}
