using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;

namespace MySecureApi.Infrastructure.Hosting;

/// <summary>
/// The response of an in-process request, kept in memory: it has started once anything is written (or it is started),
/// as a server's response has — the routes' processors rely on that to stop a request they have answered.
/// </summary>
internal sealed class InMemoryResponse : IHttpResponseFeature, IHttpResponseBodyFeature
{
    private readonly MemoryStream buffer = new();
    private readonly List<(Func<object, Task> Callback, object State)> starting = [];
    private PipeWriter? writer;

    public InMemoryResponse() => Stream = new StartingStream(this);

    public int StatusCode { get; set; } = StatusCodes.Status200OK;

    public string? ReasonPhrase { get; set; }

    public IHeaderDictionary Headers { get; set; } = new HeaderDictionary();

    public Stream Body { get => Stream; set => throw new NotSupportedException("The in-memory response keeps its own body"); }

    public bool HasStarted { get; private set; }

    public Stream Stream { get; }

    public PipeWriter Writer => writer ??= PipeWriter.Create(Stream, new StreamPipeWriterOptions(leaveOpen: true));

    public byte[] Content => buffer.ToArray();

    public void OnStarting(Func<object, Task> callback, object state) => starting.Add((callback, state));

    public void OnCompleted(Func<object, Task> callback, object state)
    {
    }

    public void DisableBuffering()
    {
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (HasStarted)
            return;
        // Callbacks run last-registered first, as a server runs them.
        for (var i = starting.Count - 1; i >= 0; i--)
            await starting[i].Callback(starting[i].State);
        HasStarted = true;
    }

    public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("An in-process request sends no files");

    public async Task CompleteAsync()
    {
        if (writer is not null)
            await writer.FlushAsync();
        await StartAsync();
    }

    private sealed class StartingStream(InMemoryResponse response) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => response.buffer.Length;

        public override long Position { get => response.buffer.Length; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => response.StartAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await response.StartAsync(cancellationToken);
            response.buffer.Write(buffer.Span);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }
}
