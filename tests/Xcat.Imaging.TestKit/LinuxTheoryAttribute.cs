using Xunit;

namespace Xcat.Imaging.TestKit;

/// <summary>A theory that needs Linux: skipped, not passed, elsewhere.</summary>
public sealed class LinuxTheoryAttribute : TheoryAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when the process does not run on Linux.</summary>
    public LinuxTheoryAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "needs Linux";
        }
    }
}
