namespace Xcat.Imaging.Bundles.Export;

/// <summary>How a member of an export gets into the bundle.</summary>
internal enum ExportKind
{
    /// <summary>A file, streamed from where it is.</summary>
    File,

    /// <summary>A directory tree, walked.</summary>
    Directory,

    /// <summary>Bytes made by the plan (the litefile table).</summary>
    Data,

    /// <summary>A statelite image's <c>rootimg/</c>, as gzip-compressed newc cpio.</summary>
    CpioTree,
}
