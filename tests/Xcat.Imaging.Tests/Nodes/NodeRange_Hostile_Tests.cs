using System.Diagnostics;
using Xcat.Imaging.Nodes;

namespace Xcat.Imaging.Tests.Nodes;

/// <summary>
/// Hostile noderanges (issue 9, item 7): each is one <see cref="ArgumentException"/> naming the problem in a short
/// line, in bounded time, never a stack overflow. The CLI tests run the worst of them in a child process too.
/// </summary>
public sealed class NodeRange_Hostile_Tests
{
    private static readonly Dictionary<string, IReadOnlyList<string>> s_nodes = new()
    {
        ["node01"] = ["compute", "all"],
        ["node02"] = ["compute", "all"],
    };

    public static TheoryData<string, string> Nested => new()
    {
        { new string('(', 100_000) + "node01" + new string(')', 100_000), "nests parentheses or brackets more than 32 deep" },
        { new string('(', 100_000), "nests parentheses or brackets more than 32 deep" },
        { "n" + new string('[', 50_000) + "1" + new string(']', 50_000), "nests parentheses or brackets more than 32 deep" },
        { "n" + string.Concat(Enumerable.Repeat("[1]", 200)), "nests more than 128 expansions deep" },
        { "n" + string.Concat(Enumerable.Repeat("[1]", 100_000)), "is longer than 1024 characters" },
        { "n" + string.Concat(Enumerable.Repeat("[1]", 20)), string.Empty },
    };

    [Theory]
    [MemberData(nameof(Nested))]
    public void Expand_DeepNesting_RefusedOrExpandedWithoutRecursingForever(string input, string messagePart)
    {
        var act = () => NodeRange.Expand(input, s_nodes, allowUndefined: true);

        if (messagePart.Length == 0)
        {
            act.Should().NotThrow().Which.Should().ContainSingle();
            return;
        }

        var message = act.Should().Throw<ArgumentException>().WithParameterName("noderange").Which.Message;
        message.Should().Contain(messagePart);
        message.Length.Should().BeLessThan(400, "the message quotes an excerpt, not the whole noderange");
    }

    [Theory]
    [InlineData(32, true)]
    [InlineData(33, false)]
    public void Expand_ParenthesesAtTheLimit(int depth, bool accepted)
    {
        var act = () => NodeRange.Expand(new string('(', depth) + "node01" + new string(')', depth), s_nodes);
        if (accepted)
        {
            act.Should().NotThrow().Which.Should().Equal("node01");
        }
        else
        {
            act.Should().Throw<ArgumentException>().WithMessage("*more than 32 deep*");
        }
    }

    [Theory]
    [InlineData("n[1@2]")]
    [InlineData("(a@b)x")]
    [InlineData("x(a@b)")]
    public void Expand_AtSignInsideBracketsOrParentheses_IsAnErrorNotEndlessRecursion(string input)
    {
        var act = () => NodeRange.Expand(input, s_nodes, allowUndefined: true);
        act.Should().Throw<ArgumentException>().WithParameterName("noderange");
    }

    [Fact]
    public void Expand_RegexThatBacktracksCatastrophically_TimesOutWithAClearError()
    {
        var nodes = new Dictionary<string, IReadOnlyList<string>> { [new string('a', 40) + "!"] = ["all"], ["node01"] = ["all"] };
        var clock = Stopwatch.StartNew();

        var act = () => NodeRange.Expand("/(.*a){20}", nodes);

        act.Should().Throw<ArgumentException>().WithParameterName("noderange")
            .WithMessage("The noderange regular expression '/(.*a){20}' took more than 1 s to match the node names; simplify it.*");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void Expand_SlowRegexOverManyNodes_BoundedInAll()
    {
        // Each name alone is matched in well under a second; together they exceed the budget for the whole regex.
        var nodes = Enumerable.Range(0, 20_000).ToDictionary(static i => new string('a', 22) + "!" + i.ToString(System.Globalization.CultureInfo.InvariantCulture),
            static _ => (IReadOnlyList<string>)["all"]);
        var clock = Stopwatch.StartNew();

        var act = () => NodeRange.Expand("/(.*a){5}", nodes);

        act.Should().Throw<ArgumentException>().WithMessage("*took more than 1 s*");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void Expand_LongAtom_RefusedQuickly()
    {
        var clock = Stopwatch.StartNew();
        var act = () => NodeRange.Expand(new string('1', 100_000) + "x+1", s_nodes, allowUndefined: true);

        act.Should().Throw<ArgumentException>().WithMessage("*is longer than 1024 characters*");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Expand_ExponentialIncrements_Bounded()
    {
        // Each '+' level expands the next: n1.1+9+9 is n1.1+9 ... n10.1+9, each ten more: 10^8 atoms without a budget.
        var noderange = "n1.1" + string.Concat(Enumerable.Repeat("+9", 8));
        var clock = Stopwatch.StartNew();

        var act = () => NodeRange.Expand(noderange, s_nodes, allowUndefined: true);

        act.Should().Throw<ArgumentException>().WithMessage("*more than*");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void Expand_ManyUndefinedNames_MessageListsAFew()
    {
        var noderange = string.Join(',', Enumerable.Range(0, 50_000).Select(static i => "x" + i));

        var act = () => NodeRange.Expand(noderange, s_nodes);

        var message = act.Should().Throw<ArgumentException>().Which.Message;
        message.Should().StartWith("Invalid nodes in noderange:x0,x1,").And.Contain(",... (50000 in all)");
        message.Length.Should().BeLessThan(400);
    }

    [Fact]
    public void Expand_ControlCharactersInInput_EscapedInTheMessage()
    {
        var act = () => NodeRange.Expand("evil\n\u001b[31mname", s_nodes);

        var message = act.Should().Throw<ArgumentException>().Which.Message;
        message.Should().Contain(@"evil\n\033[31mname").And.NotContain("\n").And.NotContain("\u001b");
    }

    [Fact]
    public void Expand_ManyUndefinedNodesInAGroupScan_Linear()
    {
        // Mkdef of 100,000 new names next to 20,000 defined nodes: no scan of every node per name.
        var nodes = Enumerable.Range(0, 20_000).ToDictionary(static i => "d" + i, static i => (IReadOnlyList<string>)["all", "rack" + (i % 10)]);
        var clock = Stopwatch.StartNew();

        var result = NodeRange.Expand("n[1-100000]", nodes, allowUndefined: true);

        result.Should().HaveCount(100_000);
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(20));
    }
}
