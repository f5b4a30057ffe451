namespace Xcat.Imaging.Internal;

/// <summary>
/// The leaveOpen rule of a reader or writer over a stream, in one place: disposing it once disposes the stream unless
/// the holder was asked to leave it open, and says afterwards that it is disposed.
/// </summary>
internal sealed class StreamOwnership(Stream stream, bool leaveOpen)
{
    /// <summary>Gets a value indicating whether <see cref="Dispose"/> or <see cref="DisposeAsync"/> has run.</summary>
    public bool IsDisposed { get; private set; }

    /// <summary>Disposes the stream unless it is left open; later calls do nothing.</summary>
    public void Dispose()
    {
        if (!IsDisposed)
        {
            IsDisposed = true;
            if (!leaveOpen)
            {
                stream.Dispose();
            }
        }
    }

    /// <summary>Disposes the stream asynchronously unless it is left open; later calls do nothing.</summary>
    /// <returns>A task that completes when the stream is disposed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (!IsDisposed)
        {
            IsDisposed = true;
            if (!leaveOpen)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
