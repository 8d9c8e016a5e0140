namespace MySecureApi.Features.Messages.GetMessages;

internal sealed record Response(IReadOnlyList<Message> Messages);

internal sealed record Message(int Id, string Text);
