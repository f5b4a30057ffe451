using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Xcat.Imaging.Internal;

namespace Xcat.Imaging.Compression;

/// <summary>
/// Reads a decompressor on its own thread, a few buffers ahead of the consumer, so that inflating overlaps with what
/// the consumer does with the data (unpack writes files): on two cores that hides most of the inflate time. An error
/// of the inner stream surfaces, unchanged, from the read that reaches it, after all the data before it.
/// </summary>
/// <remarks>
/// At most <see cref="BufferCount"/> buffers of <see cref="BufferSize"/> bytes are held. The inner stream is read only
/// by the thread and disposed after it has stopped. Disposing early stops the thread at its next buffer.
/// </remarks>
internal sealed class ReadAheadStream : ReadOnlyStream
{
    private const int BufferSize = 256 * 1024;
    private const int BufferCount = 4;

    private readonly Channel<Filled> _filled = Channel.CreateBounded<Filled>(
        new BoundedChannelOptions(BufferCount) { SingleReader = true, SingleWriter = true });

    private readonly Channel<byte[]> _free = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private Filled _current = new([], 0);
    private int _offset;
    private bool _ended;

    public ReadAheadStream(Stream inner, string name)
        : base(inner, leaveOpen: false)
    {
        for (var i = 0; i < BufferCount; i++)
        {
            _free.Writer.TryWrite(new byte[BufferSize]);
        }

        _thread = new Thread(Produce) { IsBackground = true, Name = name };
        _thread.Start();
    }

    public override int Read(Span<byte> buffer)
    {
        EnsureNotDisposed();
        if (buffer.IsEmpty || _ended)
        {
            return 0;
        }

        if (_offset < _current.Count)
        {
            return CopyOut(buffer);
        }

        return Accept(Wait(_filled.Reader, CancellationToken.None)) ? CopyOut(buffer) : 0;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        EnsureNotDisposed();
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<int>(cancellationToken);
        }

        if (buffer.IsEmpty)
        {
            return ValueTask.FromResult(0);
        }

        // Data ready (the common case, the thread is ahead): no waiting, no allocation.
        if (_offset < _current.Count || _ended)
        {
            return ValueTask.FromResult(_ended ? 0 : CopyOut(buffer.Span));
        }

        if (_filled.Reader.TryRead(out var next))
        {
            return ValueTask.FromResult(Accept(next) ? CopyOut(buffer.Span) : 0);
        }

        return WaitAsync(buffer, cancellationToken);
    }

    protected override void ReleaseResources()
    {
        _stop.Cancel();
        _thread.Join();
        _stop.Dispose();
    }

    private async ValueTask<int> WaitAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var next = await _filled.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return Accept(next) ? CopyOut(buffer.Span) : 0;
    }

    /// <summary>Takes the next item, blocking the calling thread (the consumer's sync reads, the producer's thread).</summary>
    private static T Wait<T>(ChannelReader<T> reader, CancellationToken cancellationToken)
    {
        T item;
        while (!reader.TryRead(out item!))
        {
            if (!reader.WaitToReadAsync(cancellationToken).AsTask().GetAwaiter().GetResult())
            {
                throw new InvalidOperationException("The read-ahead channel closed unexpectedly.");
            }
        }

        return item;
    }

    private static void Put<T>(ChannelWriter<T> writer, T item, CancellationToken cancellationToken)
    {
        while (!writer.TryWrite(item))
        {
            writer.WaitToWriteAsync(cancellationToken).AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>Makes <paramref name="next"/> current; false at the end; rethrows the producer's error.</summary>
    private bool Accept(Filled next)
    {
        if (_current.Buffer.Length > 0)
        {
            _free.Writer.TryWrite(_current.Buffer);
        }

        _current = next;
        _offset = 0;
        if (next.Error is not null)
        {
            _ended = true;
            next.Error.Throw();
        }

        if (next.Count == 0)
        {
            _ended = true;
            return false;
        }

        return true;
    }

    private int CopyOut(Span<byte> buffer)
    {
        var count = Math.Min(buffer.Length, _current.Count - _offset);
        _current.Buffer.AsSpan(_offset, count).CopyTo(buffer);
        _offset += count;
        return count;
    }

    private void Produce()
    {
        var token = _stop.Token;
        try
        {
            while (true)
            {
                var buffer = Wait(_free.Reader, token);
                var count = 0;
                ExceptionDispatchInfo? error = null;
                try
                {
                    int read;
                    while (count < buffer.Length && (read = Source.Read(buffer.AsSpan(count))) > 0)
                    {
                        count += read;
                    }
                }
                catch (Exception e)
                {
                    error = ExceptionDispatchInfo.Capture(e);
                }

                // The data before an error is delivered first, then the error; a short buffer is the end.
                if (count > 0)
                {
                    Put(_filled.Writer, new Filled(buffer, count), token);
                }

                if (error is not null || count < buffer.Length)
                {
                    Put(_filled.Writer, new Filled([], 0, error), token);
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Disposed early: nobody reads any more.
        }
    }

    private readonly record struct Filled(byte[] Buffer, int Count, ExceptionDispatchInfo? Error = null);
}
