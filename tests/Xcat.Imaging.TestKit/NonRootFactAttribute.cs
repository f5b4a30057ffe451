using Xunit;

namespace Xcat.Imaging.TestKit;

/// <summary>
/// A fact about what the kernel refuses an unprivileged user (permission bits, EACCES): skipped, not passed, for
/// root, whom the kernel lets through.
/// </summary>
public sealed class NonRootFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when the process is privileged.</summary>
    public NonRootFactAttribute()
    {
        if (Environment.IsPrivilegedProcess)
        {
            Skip = "root bypasses permission checks";
        }
    }
}
