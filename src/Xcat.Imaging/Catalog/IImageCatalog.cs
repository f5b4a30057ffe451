namespace Xcat.Imaging.Catalog;

/// <summary>
/// xCAT's tables (osimage, linuximage, nodelist, nodetype, postscripts, osdistro, litefile) under xCAT's names and
/// columns. Typed views (<see cref="ImageCatalogExtensions"/>) and the object commands sit on top of these two calls.
/// </summary>
public interface IImageCatalog
{
    /// <summary>Reads every row of a table, disabled rows included, in insertion order (xCAT's database order, xCAT's tabutils.pm, tabdump).</summary>
    /// <param name="table">The table name.</param>
    /// <param name="cancellationToken">A token to cancel the read.</param>
    /// <returns>The rows.</returns>
    /// <exception cref="ArgumentException"><paramref name="table"/> is not one of the catalog's tables.</exception>
    ValueTask<IReadOnlyList<CatalogRow>> ReadTableAsync(string table, CancellationToken cancellationToken = default);

    /// <summary>Applies a batch of changes in one transaction: every change, or none when one fails.</summary>
    /// <param name="changes">The changes.</param>
    /// <param name="cancellationToken">A token to cancel before the transaction commits.</param>
    /// <returns>A task that completes when the transaction has committed.</returns>
    /// <exception cref="ArgumentException">A change names an unknown table or column, or lacks a key column.</exception>
    /// <exception cref="InvalidOperationException">An insertion collides with an existing key; nothing was changed.</exception>
    ValueTask ApplyAsync(CatalogChanges changes, CancellationToken cancellationToken = default);
}
