using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Tests;

public sealed class DisplayTextTests
{
    [Theory]
    [InlineData("plain/name ü 文件 🚀", "plain/name ü 文件 🚀")]
    [InlineData("a\nb", @"a\nb")]
    [InlineData("\a\b\t\n\v\f\r", @"\a\b\t\n\v\f\r")]
    [InlineData("back\\slash", @"back\\slash")]
    [InlineData("esc\u001b[31m", @"esc\033[31m")]
    [InlineData("nul\0del\u007f", @"nul\000del\177")]
    [InlineData("c1\u009b2J", @"c1\302\2332J")]
    [InlineData("bidi\u202Eevil\u2066", @"bidi\342\200\256evil\342\201\246")]
    [InlineData("line\u2028sep", @"line\342\200\250sep")]
    [InlineData("", "")]
    public void Escape_ControlCharacters_AsGnuTarsEscapeStyle(string text, string expected)
    {
        DisplayText.Escape(text).Should().Be(expected);
    }

    [Fact]
    public void Escape_NothingToEscape_ReturnsTheSameString()
    {
        var text = "usr/bin/busybox";

        DisplayText.Escape(text).Should().BeSameAs(text);
        DisplayText.Escape(null).Should().BeEmpty();
    }

    [Fact]
    public void EscapeControlCharacters_KeepsBackslashes()
    {
        DisplayText.EscapeControlCharacters("The entry 'a\\nb'\u001b[2J").Should().Be(@"The entry 'a\nb'\033[2J");
    }

    [Fact]
    [Trait("Category", "Interop")]
    public async Task Escape_OfEveryControlByte_MatchesGnuTarsListing()
    {
        // One file per control byte (and backslash, DEL, a C1 control): GNU tar -t in a UTF-8 locale is the oracle.
        using var temp = new TempDirectory();
        var root = temp.Combine("root");
        Directory.CreateDirectory(root);
        var names = Enumerable.Range(1, 31).Select(static b => $"x{(char)b}y").Concat(["back\\slash", "del\u007f", "c1\u009b", "ü-文件"]).ToList();
        foreach (var name in names)
        {
            await File.WriteAllTextAsync(Path.Combine(root, name), string.Empty);
        }

        var tar = temp.Combine("a.tar");
        (await ExternalTool.RunAsync("tar", ["-cf", tar, "-C", root, .. names])).EnsureSuccess();
        var listing = await ExternalTool.ShellAsync($"LC_ALL=C.UTF-8 tar --quoting-style=escape -tf '{tar}'");

        listing.EnsureSuccess().Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().Equal(names.Select(DisplayText.Escape));
    }
}
