using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Xcat.Imaging.Trees;

namespace Xcat.Imaging.Packing;

/// <summary>Lists the entries of a ramdisk archive, like <c>lsinitrd</c>, streaming: nothing is extracted or kept.</summary>
public sealed class RamdiskInspector
{
    private readonly ILogger _logger;

    /// <summary>Initializes an inspector.</summary>
    /// <param name="logger">A logger; none when <see langword="null"/>.</param>
    public RamdiskInspector(ILogger<RamdiskInspector>? logger = null)
    {
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Enumerates the entries of <paramref name="archive"/> (left open), compression and format detected by magic.</summary>
    /// <param name="archive">The compressed or plain archive.</param>
    /// <param name="cancellationToken">A token to cancel.</param>
    /// <returns>The entries in archive order.</returns>
    /// <exception cref="InvalidDataException">The archive is corrupt, truncated or in no known format.</exception>
    public async IAsyncEnumerable<TreeEntry> EnumerateEntriesAsync(Stream archive, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(archive);
        await foreach (var (entry, _) in RamdiskEntries.ReadAsync(archive, _logger, cancellationToken).ConfigureAwait(false))
        {
            yield return entry;
        }
    }
}
