namespace Xcat.Imaging.Catalog;

/// <summary>An xCAT object as lsdef shows it: its type, name and non-empty attributes in ordinal order.</summary>
/// <param name="Type">The object type, such as <c>osimage</c> or <c>node</c>.</param>
/// <param name="Name">The object name.</param>
/// <param name="Attributes">Attribute name to value, sorted ordinally, empty values left out.</param>
public sealed record XcatObject(string Type, string Name, IReadOnlyDictionary<string, string> Attributes);
