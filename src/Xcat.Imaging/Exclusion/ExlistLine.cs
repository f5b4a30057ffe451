namespace Xcat.Imaging.Exclusion;

/// <summary>A line of exlist text after include expansion, with where it came from.</summary>
internal readonly record struct ExlistLine(string Text, string? Source, int LineNumber);
