using System.Text;
using Xcat.Imaging.Catalog;
using Xcat.Imaging.Tables;
using Xcat.Imaging.TestKit;
using Xcat.Imaging.Unix;

namespace Xcat.Imaging.Tests.Tables;

public sealed class LiteFileCsvTests
{
    private readonly InMemoryImageCatalog _catalog = new();

    [Fact]
    public async Task SelectAsync_TakesRowsOfTheGroupsOrTheImage_DefaultsOptionsToTmpfs_AndSkipsDisabledRows()
    {
        var image = Some.NetbootImage("img");
        image = image with { OsImage = image.OsImage with { Groups = ["g1", "g2"] } };
        await _catalog.ApplyAsync(new CatalogChanges()
            .Insert("litefile", Row("img", "/etc/a", "persistent"))
            .Insert("litefile", Row("g1,g2", "/etc/b", null))
            .Insert("litefile", Row("g1", "/etc/c", "ro"))
            .Insert("litefile", Row("img", "/var/", "tmpfs"))
            .Insert("litefile", Row("other", "/etc/d", "ro"))
            .Insert("litefile", Row("ALL", "/etc/e", "ro"))
            .Insert("litefile", Row("img", "/etc/f", "ro", disable: "1")));

        var entries = await LiteFileCsv.SelectAsync(_catalog, image);

        entries.Should().Equal(new LiteFileEntry("/etc/a", "persistent"), new LiteFileEntry("/etc/b", "tmpfs"), new LiteFileEntry("/var/", "tmpfs"));
    }

    [Fact]
    public async Task SelectAsync_OfAnImageWithoutGroups_TakesTheAllRows()
    {
        await _catalog.ApplyAsync(new CatalogChanges().Insert("litefile", Row("ALL", "/etc/e", "ro")));

        (await LiteFileCsv.SelectAsync(_catalog, Some.NetbootImage("img"))).Should().Equal(new LiteFileEntry("/etc/e", "ro"));
    }

    [Fact]
    public void Format_WritesXcatsLines_AndParseReadsThemBack_NamesAsBytes()
    {
        var odd = UnixNameEncoding.GetString([.. "/etc/caf"u8, 0xe9]);
        var entries = new[] { new LiteFileEntry("/etc/hosts", "tmpfs"), new LiteFileEntry(odd, "persistent") };

        var data = LiteFileCsv.Format("img", entries);

        data.Should().Equal([.. "\"img\",\"/etc/hosts\",\"tmpfs\",,\n\"img\",\"/etc/caf"u8, 0xe9, .. "\",\"persistent\",,\n"u8]);
        LiteFileCsv.Parse(data, "the test file").Should().Equal(entries);
    }

    [Fact]
    public void Parse_SkipsBlankLines_AndIgnoresTheImageName()
    {
        LiteFileCsv.Parse(Encoding.ASCII.GetBytes("\n\"x\",\"/a\",\"ro\",,\n  \n\"y\",\"/b\",\"\",,\n"), "f")
            .Should().Equal(new LiteFileEntry("/a", "ro"), new LiteFileEntry("/b", ""));
    }

    [Theory]
    [InlineData("\"img\",\"/a\"\n", 1)]
    [InlineData("\"img\",\"/a\",\"ro\",,\n\"img\",\"\",\"ro\",,\n", 2)]
    [InlineData("not a row", 1)]
    public void Parse_OfALineThatIsNoRow_NamesTheLineAndTheSource(string text, int line)
    {
        var act = () => LiteFileCsv.Parse(Encoding.ASCII.GetBytes(text), "the litefile.csv of 'img'");

        act.Should().Throw<InvalidDataException>().WithMessage($"Line {line} of the litefile.csv of 'img' is not a litefile row: *");
    }

    private static Dictionary<string, string?> Row(string? image, string file, string? options, string? disable = null) =>
        new() { ["image"] = image, ["file"] = file, ["options"] = options, ["disable"] = disable };
}
