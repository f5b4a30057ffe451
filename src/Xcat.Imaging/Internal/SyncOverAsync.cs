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
}
