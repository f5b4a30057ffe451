namespace Xcat.Imaging.Tables;

/// <summary>One row of xCAT's <c>litefile</c> table for an image: a file of a statelite image and how it is kept.</summary>
/// <param name="File">The absolute path inside the image, such as <c>/etc/hosts</c>; a trailing <c>/</c> names a directory.</param>
/// <param name="Options">How the file is kept: <c>tmpfs</c>, <c>persistent</c>, <c>ro</c>, <c>link</c>, ... (xCAT's <c>litefile</c> man page).</param>
public sealed record LiteFileEntry(string File, string Options);
