namespace Xcat.Imaging.Trees;

/// <summary>
/// A data stream of a file with holes (a GNU sparse tar member): reading it yields the whole file, holes as zeros, for
/// every consumer; <see cref="TreeExtractor"/> asks it instead to step over each hole, so that the file it writes
/// keeps the holes where the file system supports them.
/// </summary>
internal interface ISparseData
{
    /// <summary>
    /// When the stream is inside a hole, moves it to the end of the hole and returns the hole's length; otherwise
    /// returns 0. A read never crosses from data into a hole or back, so a caller that calls this before each read
    /// sees only data bytes.
    /// </summary>
    long SkipHole();
}
