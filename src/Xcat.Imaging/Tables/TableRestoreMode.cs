namespace Xcat.Imaging.Tables;

/// <summary>What tabrestore does with the rows a table already has (xCAT's <c>tabrestore</c> man page).</summary>
public enum TableRestoreMode
{
    /// <summary>The table's rows are replaced by the file's. tabrestore without <c>-a</c>.</summary>
    Replace,

    /// <summary>The file's rows are added to the table's; a key that exists already refuses the restore. tabrestore <c>-a</c>.</summary>
    Add,
}
