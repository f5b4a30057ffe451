namespace Xcat.Imaging.Tests;

/// <summary>GNU tar's <c>--quoting-style=escape</c> for listings and error excerpts.</summary>
public sealed class DisplayTextListingTests
{
    [Theory]
    [InlineData("plain/name-1.2_x", "plain/name-1.2_x")]
    [InlineData("ünïcödé ☃", "ünïcödé ☃")]
    [InlineData("a\nb", @"a\nb")]
    [InlineData("\t\r\a\b\f\v", @"\t\r\a\b\f\v")]
    [InlineData("back\\slash", @"back\\slash")]
    [InlineData("\u001b[31mred", @"\033[31mred")]
    [InlineData("\0\u007f", @"\000\177")]
    [InlineData("c1\u009b", @"c1\302\233")]
    [InlineData("line\u2028sep", @"line\342\200\250sep")]
    [InlineData("rtl\u202eevil", @"rtl\342\200\256evil")]
    public void Escape_ControlCharacters_AsGnuTar(string value, string expected) => DisplayText.Escape(value).Should().Be(expected);

    [Fact]
    public void Escape_PlainText_IsTheSameInstance()
    {
        const string value = "./usr/share/doc";
        DisplayText.Escape(value).Should().BeSameAs(value);
    }

    [Theory]
    [InlineData(@"|\D+(\d+)|10.0.0.($1)|", true)]
    [InlineData("x\ny", false)]
    [InlineData("x\u001by", false)]
    public void HasNoControlCharacters_BackslashesAreNotControl(string value, bool plain) =>
        DisplayText.HasNoControlCharacters(value).Should().Be(plain);

    [Fact]
    public void Excerpt_LongText_IsCutAndCounted()
    {
        DisplayText.Excerpt(new string('x', 100) + "\n", 10).Should().Be("xxxxxxxxxx... (101 characters)");
        DisplayText.Excerpt("short\n", 10).Should().Be(@"short\n");
        DisplayText.Excerpt("123456789\ud83d\ude00", 10).Should().Be("123456789... (11 characters)", "a surrogate pair is not split");
    }
}
