namespace Xcat.Imaging.Bundles.Export;

/// <summary>One member of an export: its source, its name in the image directory of the bundle, how it is written.</summary>
internal sealed record ExportFile(string Source, string Member, ExportKind Kind, byte[]? Data = null);
