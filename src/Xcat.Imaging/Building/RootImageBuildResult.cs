using Xcat.Imaging.Building.Execution;
using Xcat.Imaging.Definitions;

namespace Xcat.Imaging.Building;

/// <summary>What <see cref="RootImageBuilder"/> built, or for a dry run planned.</summary>
public sealed class RootImageBuildResult
{
    /// <summary>Gets the image's definition with the attributes the build writes back (xCAT's genimage tempfile protocol).</summary>
    public required ImageDefinition Image { get; init; }

    /// <summary>Gets the attributes written back, by name (empty for a dry run).</summary>
    public required IReadOnlyDictionary<string, string> WrittenBack { get; init; }

    /// <summary>Gets the image's rootimgdir.</summary>
    public required string RootImageDirectory { get; init; }

    /// <summary>Gets the kernel version the initrd was made for, or <see langword="null"/> in a dry run that could not know it.</summary>
    public string? KernelVersion { get; init; }

    /// <summary>Gets the files put in place: <c>kernel</c>, <c>initrd-stateless.gz</c> and their tftp copies (none for a dry run).</summary>
    public IReadOnlyList<string> Files { get; init; } = [];

    /// <summary>Gets the commands and files of a dry run, in order (empty for a real build).</summary>
    public IReadOnlyList<BuildPlanStep> Plan { get; init; } = [];

    /// <summary>Gets how long each phase took, by <see cref="RootImageBuildPhases"/> name (empty for a dry run).</summary>
    public IReadOnlyDictionary<string, TimeSpan> PhaseDurations { get; init; } = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
}
