using System.Text;
using Xcat.Imaging.Bundles.Manifest;

namespace Xcat.Imaging.Bundles.Tests.Manifest;

/// <summary>
/// Unknown manifest elements are kept with their children; a document that nests them deeply is one
/// <see cref="InvalidDataException"/> naming the element, never a stack overflow (issue 9, item 7). The CLI tests run
/// a 100,000-level bundle through imgimport in a child process as well.
/// </summary>
public sealed class ManifestReader_Nesting_Tests
{
    private const string Head = "<?xml version=\"1.0\"?>\n<xcatimage><osimage><imagename>img</imagename></osimage>";

    [Theory]
    [InlineData(33)]
    [InlineData(1_000)]
    [InlineData(100_000)]
    public void Deserialize_UnknownElementsNestedTooDeep_ThrowsNamingTheElement(int depth)
    {
        var act = () => ManifestSerializer.Deserialize(Nested("deep", depth));

        act.Should().Throw<InvalidDataException>()
            .WithMessage("The manifest element <deep> is nested more than 32 levels deep (line 2, position *).");
    }

    [Fact]
    public void Deserialize_UnknownElementsAtTheLimit_AreKept()
    {
        var manifest = ManifestSerializer.Deserialize(Nested("deep", 32));

        var element = manifest.OtherElements.Should().ContainSingle().Subject;
        var depth = 1;
        while (element.Children.Count > 0)
        {
            element = element.Children.Should().ContainSingle().Subject;
            depth++;
        }

        depth.Should().Be(32);
        element.Value.Should().Be("bottom");
    }

    private static string Nested(string name, int depth)
    {
        var xml = new StringBuilder(Head);
        xml.Insert(xml.Length, $"<{name}>", depth).Append("bottom");
        xml.Insert(xml.Length, $"</{name}>", depth).Append("</xcatimage>\n");
        return xml.ToString();
    }
}
