using Xcat.Imaging.Schema;

namespace Xcat.Imaging.Tests.Schema;

public sealed class CommaListTests
{
    [Theory]
    [InlineData(null, new string[0])]
    [InlineData("", new string[0])]
    [InlineData(",,", new string[0])]
    [InlineData("a", new[] { "a" })]
    [InlineData("a,,b,a", new[] { "a", "b", "a" })]
    [InlineData(" a, b ", new[] { " a", " b " })]
    public void Split_DropsEmptyItems_KeepsOrderDuplicatesAndSpaces_AsXcatSplits(string? value, string[] expected) =>
        CommaList.Split(value).Should().Equal(expected);

    [Fact]
    public void Join_OfNoItems_IsUnset_ElseCommaJoined()
    {
        CommaList.Join([]).Should().BeNull();
        CommaList.Join(["a", "b"]).Should().Be("a,b");
    }
}
