namespace Xcat.Imaging.Definitions;

/// <summary>One problem found by validation, naming the attribute it concerns.</summary>
/// <param name="Attribute">The attribute (object view name, such as <c>pkglist</c>), or <c>imagename</c> for the name.</param>
/// <param name="Message">A sentence saying what is wrong.</param>
public readonly record struct DefinitionProblem(string Attribute, string Message)
{
    /// <summary>Returns <c>attribute: message</c>.</summary>
    /// <returns>The problem as one line.</returns>
    public override string ToString() => $"{Attribute}: {Message}";
}
