namespace Xcat.Imaging.TestKit;

/// <summary>One way two trees differ.</summary>
/// <param name="Path">The relative path (<c>.</c> for the root).</param>
/// <param name="Aspect">What differs: <c>presence</c>, <c>type</c>, <c>mode</c>, <c>uid</c>, <c>gid</c>, <c>mtime</c>, <c>size</c>, <c>content</c>, <c>link target</c>, <c>rdev</c>, <c>hard links</c> or <c>xattr NAME</c>.</param>
/// <param name="Expected">The value in the expected tree.</param>
/// <param name="Actual">The value in the actual tree.</param>
public sealed record TreeDifference(string Path, string Aspect, string? Expected, string? Actual)
{
    /// <inheritdoc />
    public override string ToString() => $"{Path}: {Aspect} expected <{Expected ?? "none"}> but was <{Actual ?? "none"}>";
}
