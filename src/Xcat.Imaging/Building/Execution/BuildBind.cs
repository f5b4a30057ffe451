namespace Xcat.Imaging.Building.Execution;

/// <summary>A host directory bound into the image root for one command, e.g. a package cache kept outside <c>rootimg/</c>.</summary>
/// <param name="HostPath">The host directory; created when missing.</param>
/// <param name="PathInRoot">The absolute path inside the root where it appears (created when missing).</param>
public sealed record BuildBind(string HostPath, string PathInRoot);
