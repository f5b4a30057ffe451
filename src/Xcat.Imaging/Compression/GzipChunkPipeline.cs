using System.Collections.Concurrent;
using Xcat.Imaging.Internal;

namespace Xcat.Imaging.Compression;

/// <summary>Writes one deflated chunk, in order; the pipeline recycles the chunk when the returned task completes.</summary>
internal delegate ValueTask GzipChunkSink(GzipChunk chunk, bool useAsync, CancellationToken cancellationToken);

/// <summary>
/// The ordered chunk pipeline behind <see cref="ParallelGzipStream"/>: input is cut into chunks, each primed with the
/// previous 32 KiB (as pigz) and deflated on a worker, and the deflated chunks reach the sink strictly in input order.
/// At most a fixed number of chunks exist, so a slow sink slows the writer. It knows nothing of gzip's framing.
/// </summary>
internal sealed class GzipChunkPipeline : IDisposable
{
    private readonly int _chunkSize;
    private readonly int _maxChunks;
    private readonly bool _libDeflate;
    private readonly GzipChunkSink _sink;
    private readonly Action<long>? _chunkHook;
    private readonly DedicatedThreadScheduler? _schedulers;
    private readonly ConcurrentBag<IChunkDeflater> _deflaters = [];
    private readonly Queue<GzipChunk> _pending = new();
    private readonly Stack<GzipChunk> _free = new();
    private readonly byte[] _history = new byte[GzipChunk.WindowSize];
    private GzipChunk? _current;
    private int _historyLength;
    private int _allocated;
    private long _nextIndex;

    /// <param name="chunkSize">The input bytes per chunk.</param>
    /// <param name="threads">Workers; 1 deflates inline (same code, same bytes, no scheduling).</param>
    /// <param name="libDeflate">Whether levels 1–9 deflate on libdeflate rather than zlib.</param>
    /// <param name="sink">Writes each deflated chunk, in order.</param>
    /// <param name="chunkHook">Run on the worker before each chunk (by index), for tests.</param>
    public GzipChunkPipeline(int chunkSize, int threads, bool libDeflate, GzipChunkSink sink, Action<long>? chunkHook)
    {
        _chunkSize = chunkSize;
        _libDeflate = libDeflate;
        _sink = sink;
        _chunkHook = chunkHook;
        if (threads > 1)
        {
            _schedulers = new DedicatedThreadScheduler(threads, "gzip");
            _maxChunks = (threads * 2) + 1;
        }
        else
        {
            _maxChunks = 2;
        }

        _current = TryTakeChunk();
    }

    /// <summary>Gets the input bytes waiting in the chunk under way.</summary>
    public int CurrentLength => _current?.Length ?? 0;

    /// <summary>
    /// Makes room for input: takes a free chunk (waiting for the oldest one to be written, blocking when not
    /// <paramref name="useAsync"/>), or submits a full chunk at <paramref name="level"/> and writes what is done.
    /// </summary>
    /// <returns>The room in the chunk under way for <see cref="Append"/>; 0 when the call submitted a chunk (call again).</returns>
    public async ValueTask<int> PrepareAsync(int level, bool useAsync, CancellationToken cancellationToken)
    {
        if (_current is null)
        {
            _current = await TakeChunkAsync(useAsync, cancellationToken).ConfigureAwait(false);
        }
        else if (_current.Length == _chunkSize)
        {
            Submit(level, last: false);
            await WriteCompletedAsync(useAsync, cancellationToken).ConfigureAwait(false);
            return 0;
        }

        return _chunkSize - _current.Length;
    }

    /// <summary>Copies input into the chunk under way; call after <see cref="PrepareAsync"/> returned room.</summary>
    /// <returns>The rest of <paramref name="buffer"/> that did not fit.</returns>
    public ReadOnlySpan<byte> Append(ReadOnlySpan<byte> buffer)
    {
        var chunk = _current!;
        var count = Math.Min(buffer.Length, _chunkSize - chunk.Length);
        buffer[..count].CopyTo(chunk.Input.AsSpan(GzipChunk.WindowSize + chunk.Length));
        chunk.Length += count;
        return buffer[count..];
    }

    /// <summary>Ends the chunk under way early (a flush or a level change) and starts deflating it.</summary>
    public void SubmitCurrent(int level)
    {
        if (CurrentLength > 0)
        {
            Submit(level, last: false);
        }
    }

    /// <summary>Submits the last chunk (possibly empty) and writes every pending chunk to the sink.</summary>
    public async ValueTask FinishAsync(int level, bool useAsync, CancellationToken cancellationToken)
    {
        _current ??= await TakeChunkAsync(useAsync, cancellationToken).ConfigureAwait(false);
        Submit(level, last: true);
        await DrainAsync(useAsync, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes every pending chunk to the sink, in order.</summary>
    public async ValueTask DrainAsync(bool useAsync, CancellationToken cancellationToken)
    {
        while (_pending.Count > 0)
        {
            await WriteOldestAsync(useAsync, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Waits for every worker still deflating (blocking when not <paramref name="useAsync"/>), ignoring their faults.</summary>
    public async ValueTask WaitForWorkersAsync(bool useAsync)
    {
        foreach (var chunk in _pending)
        {
            if (useAsync)
            {
                await chunk.Task.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
            else
            {
                chunk.Task.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing).GetAwaiter().GetResult();
            }
        }
    }

    /// <summary>Stops the workers and frees the deflaters; call after <see cref="WaitForWorkersAsync"/>.</summary>
    public void Dispose()
    {
        _schedulers?.Dispose();
        while (_deflaters.TryTake(out var deflater))
        {
            deflater.Dispose();
        }

        _pending.Clear();
        _free.Clear();
        _current = null;
    }

    /// <summary>Primes the current chunk with the last 32 KiB of earlier input and starts compressing it.</summary>
    private void Submit(int level, bool last)
    {
        var chunk = _current!;
        _current = null;
        chunk.Last = last;
        chunk.Index = _nextIndex++;
        chunk.Level = level;

        // History and dictionary both end at WindowSize, so the copy keeps offsets; data follows contiguously.
        var window = GzipChunk.WindowSize;
        chunk.DictionaryLength = _historyLength;
        _history.AsSpan(window - _historyLength, _historyLength).CopyTo(chunk.Input.AsSpan(window - _historyLength));
        var kept = Math.Min(window, _historyLength + chunk.Length);
        chunk.Input.AsSpan(window + chunk.Length - kept, kept).CopyTo(_history.AsSpan(window - kept));
        _historyLength = kept;

        if (_schedulers is null)
        {
            try
            {
                Compress(chunk);
                chunk.Task = Task.CompletedTask;
            }
            catch (Exception e)
            {
                chunk.Task = Task.FromException(e);
            }
        }
        else
        {
            chunk.Task = Task.Factory.StartNew(() => Compress(chunk), CancellationToken.None, TaskCreationOptions.DenyChildAttach,
                _schedulers);
        }

        _pending.Enqueue(chunk);
    }

    private void Compress(GzipChunk chunk)
    {
        _chunkHook?.Invoke(chunk.Index);
        if (!_deflaters.TryTake(out var deflater) || deflater.Level != chunk.Level)
        {
            deflater?.Dispose();
            deflater = CreateDeflater(chunk.Level);
        }

        try
        {
            deflater.Compress(chunk);
        }
        finally
        {
            _deflaters.Add(deflater);
        }
    }

    /// <summary>libdeflate for levels 1–9 when in use; level 0 (stored) costs nothing to zlib and keeps its exact framing.</summary>
    private IChunkDeflater CreateDeflater(int level) =>
        _libDeflate && level > 0 ? new LibDeflateChunkDeflater(level) : new ZLibChunkDeflater(level);

    private GzipChunk? TryTakeChunk()
    {
        if (_free.TryPop(out var chunk))
        {
            chunk.Length = 0;
            return chunk;
        }

        if (_allocated < _maxChunks)
        {
            _allocated++;
            return new GzipChunk(_chunkSize);
        }

        return null;
    }

    private async ValueTask<GzipChunk> TakeChunkAsync(bool useAsync, CancellationToken cancellationToken)
    {
        GzipChunk? chunk;
        while ((chunk = TryTakeChunk()) is null)
        {
            await WriteOldestAsync(useAsync, cancellationToken).ConfigureAwait(false);
        }

        return chunk;
    }

    private async ValueTask WriteCompletedAsync(bool useAsync, CancellationToken cancellationToken)
    {
        while (_pending.TryPeek(out var head) && head.Task.IsCompleted)
        {
            await WriteOldestAsync(useAsync, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Waits for the oldest chunk (blocking when not <paramref name="useAsync"/>), hands it to the sink and recycles it.</summary>
    private async ValueTask WriteOldestAsync(bool useAsync, CancellationToken cancellationToken)
    {
        var chunk = _pending.Peek();
        if (useAsync)
        {
            await chunk.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            chunk.Task.GetAwaiter().GetResult();
        }

        await _sink(chunk, useAsync, cancellationToken).ConfigureAwait(false);
        _free.Push(_pending.Dequeue());
    }
}
