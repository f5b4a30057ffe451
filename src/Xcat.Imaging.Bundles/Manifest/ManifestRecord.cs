namespace Xcat.Imaging.Bundles.Manifest;

/// <summary>
/// A table row carried by the manifest under its name: a <c>kit</c>, <c>kitrepo</c> or <c>kitcomp</c> element, written as
/// <c>&lt;kit&gt;&lt;name&gt;…&lt;/name&gt;column…&lt;/kit&gt;</c> (xCAT's imgport.pm, make_bundle).
/// </summary>
/// <param name="Name">The row's key (the <c>&lt;name&gt;</c> child).</param>
/// <param name="Columns">The other columns, by name; a column called <c>name</c> is not written because it would clash with the key.</param>
public sealed record ManifestRecord(string Name, IReadOnlyDictionary<string, string> Columns);
