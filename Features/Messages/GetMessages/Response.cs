namespace MySecureApi.Features.Messages.GetMessages;

/// <summary><c>nextCursor</c> is null on the last page.</summary>
internal sealed record Response(IReadOnlyList<Message> Messages, string? NextCursor);
