using Xunit;

namespace Xcat.Imaging.TestKit;

/// <summary>A fact that needs root (devices, foreign owners, chroot): skipped, not passed, for anyone else.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when the process is not privileged.</summary>
    public RootFactAttribute()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            Skip = "needs root";
        }
    }
}
