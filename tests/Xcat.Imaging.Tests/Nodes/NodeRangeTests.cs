using Xcat.Imaging.Nodes;

namespace Xcat.Imaging.Tests.Nodes;

public sealed class NodeRangeTests
{
    private static readonly Dictionary<string, IReadOnlyList<string>> s_nodes = new()
    {
        ["node01"] = ["compute", "all"],
        ["node02"] = ["compute", "all"],
        ["node03"] = ["compute", "all"],
        ["svc1"] = ["service", "all"],
        ["rack1-n1"] = ["all"],
    };

    [Theory]
    [InlineData("node01", "node01")]
    [InlineData("node01,svc1", "node01,svc1")]
    [InlineData("compute", "node01,node02,node03")]
    [InlineData("all,-compute", "rack1-n1,svc1")]
    [InlineData("-node02,compute", "node01,node03")]
    [InlineData("node01-node03,-node02,node02", "node01,node03")]
    [InlineData("compute@all", "node01,node02,node03")]
    [InlineData("all@service", "svc1")]
    [InlineData("(compute,svc1),-node01", "node02,node03,svc1")]
    [InlineData("01:02", "node01,node02")]
    [InlineData("node03,node01,node02", "node01,node02,node03")]
    [InlineData("compute,-node02", "node01,node03")]
    [InlineData("node[01-02]", "node01,node02")]
    [InlineData("node01-node03", "node01,node02,node03")]
    [InlineData("node01+2", "node01,node02,node03")]
    [InlineData("node01:node02", "node01,node02")]
    [InlineData("/^node0[13]$", "node01,node03")]
    [InlineData("rack1-n1", "rack1-n1")]
    [InlineData("node01,compute", "node01,node02,node03")]
    [InlineData("node0[1-2]", "node01,node02")]
    public void Expand_DefinedNodes(string noderange, string expected)
        => NodeRange.Expand(noderange, s_nodes).Should().Equal(expected.Split(','));

    [Theory]
    [InlineData("node[01-10]", 10, "node01", "node10")]
    [InlineData("node[1-3]", 3, "node1", "node3")]
    [InlineData("node[001-100]", 100, "node001", "node100")]
    [InlineData("node01-node10", 10, "node01", "node10")]
    [InlineData("n8-n11", 4, "n10", "n9")]
    [InlineData("r[1-2]n[01-03]", 6, "r1n01", "r2n03")]
    [InlineData("node[1-2,5]", 3, "node1", "node5")]
    [InlineData("node[08-12]", 5, "node08", "node12")]
    [InlineData("node1-node010", 10, "node1", "node9")]
    [InlineData("node10+3", 4, "node10", "node13")]
    [InlineData("n9+2", 3, "n10", "n9")]
    [InlineData("10-12", 3, "node10", "node12")]
    [InlineData("node1-ib-node3-ib", 3, "node1-ib", "node3-ib")]
    [InlineData("cn1-ib", 1, "cn1-ib", "cn1-ib")]
    public void Expand_Ranges_WhenUndefinedAllowed(string noderange, int count, string first, string last)
    {
        var nodes = NodeRange.Expand(noderange, new Dictionary<string, IReadOnlyList<string>>(), allowUndefined: true);
        nodes.Should().HaveCount(count);
        nodes[0].Should().Be(first);
        nodes[^1].Should().Be(last);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("node[01-", "unbalanced")]
    [InlineData("node01]", "unbalanced")]
    [InlineData("node[a-b]", "not a number range")]
    [InlineData("node[10-01]", "counts down")]
    [InlineData("node1,,node2", "empty element")]
    [InlineData("node[1-9999999]", "more than")]
    [InlineData("bad name", "not a valid node name")]
    [InlineData("/*a", "regular expression")]
    public void Expand_Malformed_ThrowsArgumentExceptionNamingTheProblem(string noderange, string messagePart)
    {
        var act = () => NodeRange.Expand(noderange, s_nodes, allowUndefined: true);
        act.Should().Throw<ArgumentException>().WithParameterName(nameof(noderange)).Which.Message.Should().Contain(messagePart);
    }

    [Fact]
    public void Expand_UndefinedNames_AreRefusedWithXcatMessage()
    {
        var act = () => NodeRange.Expand("node01,nosuch,node[05-06]", s_nodes);
        act.Should().Throw<ArgumentException>().WithMessage("Invalid nodes in noderange:nosuch,node05,node06*");
    }
}
