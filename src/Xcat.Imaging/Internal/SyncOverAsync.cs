using System.Diagnostics;

namespace Xcat.Imaging.Internal;

/// <summary>
/// Ends the sync twin of a method written once as <c>CoreAsync(bool useAsync, …)</c>: with <c>useAsync</c> false every
/// await inside has completed already, so taking the result neither blocks nor wraps the exception.
/// </summary>
internal static class SyncOverAsync
{
    /// <summary>Returns once <paramref name="pending"/>, already completed, has; rethrows its exception.</summary>
    /// <param name="pending">A task from a core method run with <c>useAsync</c> false.</param>
    public static void Wait(ValueTask pending)
    {
        Debug.Assert(pending.IsCompleted, "Every step completes synchronously when useAsync is false.");
        pending.GetAwaiter().GetResult();
    }

    /// <summary>Returns the result of <paramref name="pending"/>, already completed; rethrows its exception.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="pending">A task from a core method run with <c>useAsync</c> false.</param>
    /// <returns>The result.</returns>
    public static T Wait<T>(ValueTask<T> pending)
    {
        Debug.Assert(pending.IsCompleted, "Every step completes synchronously when useAsync is false.");
        return pending.GetAwaiter().GetResult();
    }

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="stream"/>: asynchronously, or synchronously and completed.</summary>
    /// <param name="stream">The destination.</param>
    /// <param name="useAsync">Whether to call the stream's asynchronous method.</param>
    /// <param name="bytes">The bytes.</param>
    /// <param name="cancellationToken">A token to cancel an asynchronous write.</param>
    /// <returns>The write.</returns>
    public static ValueTask WriteAsync(Stream stream, bool useAsync, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        if (useAsync)
        {
            return stream.WriteAsync(bytes, cancellationToken);
        }

        stream.Write(bytes.Span);
        return ValueTask.CompletedTask;
    }

    /// <summary>Flushes <paramref name="stream"/>: asynchronously, or synchronously and completed.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="useAsync">Whether to call the stream's asynchronous method.</param>
    /// <param name="cancellationToken">A token to cancel an asynchronous flush.</param>
    /// <returns>The flush.</returns>
    public static ValueTask FlushAsync(Stream stream, bool useAsync, CancellationToken cancellationToken)
    {
        if (useAsync)
        {
            return new ValueTask(stream.FlushAsync(cancellationToken));
        }

        stream.Flush();
        return ValueTask.CompletedTask;
    }
}
