using Xcat.Imaging.Building.Execution;

namespace Xcat.Imaging.Building.Packages;

/// <summary>Where a Debian or Ubuntu image comes from, as <see cref="AptInstaller.PlanSources"/> works it out.</summary>
/// <param name="BootstrapMirror">The mirror debootstrap reads (the first one).</param>
/// <param name="Suite">The suite debootstrap installs, e.g. bookworm.</param>
/// <param name="SourcesList">The image's <c>etc/apt/sources.list</c>.</param>
/// <param name="Binds">Local package directories bound into the root while packages are installed.</param>
public sealed record AptSources(string BootstrapMirror, string Suite, string SourcesList, IReadOnlyList<BuildBind> Binds);
