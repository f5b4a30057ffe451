using Xunit;

namespace Xcat.Imaging.TestKit;

/// <summary>A theory that needs root: skipped, not passed, for anyone else.</summary>
public sealed class RootTheoryAttribute : TheoryAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when the process is not privileged.</summary>
    public RootTheoryAttribute()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            Skip = "needs root";
        }
    }
}
