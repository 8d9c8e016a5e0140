namespace MySecureApi.Features.Messages.Data;

/// <summary>A stored message. <see cref="Version"/> is its row version: the ETag, and the concurrency token of every update.</summary>
internal sealed class MessageRecord
{
    public long Id { get; set; }

    public string Text { get; set; } = "";

    /// <summary>The <c>sub</c> of the token that created it (<c>system</c> for the seed message).</summary>
    public string Author { get; set; } = "";

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public int Version { get; set; }

    /// <summary>Who acted for the author in the last write (a delegated token's <c>act.sub</c>); null when the author wrote it.</summary>
    public string? Actor { get; set; }
}
