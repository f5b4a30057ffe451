using Xcat.Imaging.Catalog;
using Xcat.Imaging.Schema;
using Xcat.Imaging.Tables;
using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Tests.Tables;

public sealed class ObjectListingTests
{
    private readonly InMemoryImageCatalog _catalog = new();

    [Fact]
    public async Task Write_LongListingOfSpecExample_MatchesXcatByteForByte()
    {
        await _catalog.SaveImageAsync(Some.NetbootImage());
        (await ListAsync(new ObjectListingOptions { LongFormat = true })).Should().Be(SpecExamples.LsdefLong);
    }

    [Fact]
    public async Task Write_ShortList_IsSortedNameAndTypeWithTwoSpaces()
    {
        await _catalog.SaveImageAsync(Some.NetbootImage("zz-image"));
        await _catalog.SaveImageAsync(Some.NetbootImage("Aa-image"));
        await _catalog.SaveImageAsync(Some.NetbootImage("aa-image"));
        (await ListAsync(null)).Should().Be("Aa-image  (osimage)\naa-image  (osimage)\nzz-image  (osimage)\n");
    }

    [Fact]
    public async Task Write_SelectedAttributes_AreSortedAndPrintedEvenWhenEmpty()
    {
        await _catalog.SaveImageAsync(Some.NetbootImage());
        var options = new ObjectListingOptions();
        options.Attributes.Add("template");
        options.Attributes.Add("provmethod");
        (await ListAsync(options)).Should().Be("Object name: rhels7.1-x86_64-netboot-compute\n    provmethod=netboot\n    template=\n");
    }

    [Fact]
    public async Task Write_Compact_PrefixesEachLineWithTheName()
    {
        await _catalog.SaveImageAsync(Some.NetbootImage());
        var options = new ObjectListingOptions { Compact = true };
        options.Attributes.Add("osvers");
        options.Attributes.Add("osarch");
        (await ListAsync(options)).Should().Be("rhels7.1-x86_64-netboot-compute: osarch=x86_64\nrhels7.1-x86_64-netboot-compute: osvers=rhels7.1\n");
    }

    [Fact]
    public void Write_CompactWithoutAttributes_ThrowsXcatMessage()
    {
        var act = () => ObjectListing.Write([], new ObjectListingOptions { Compact = true }, TextWriter.Null);
        act.Should().Throw<ArgumentException>().WithMessage("The flags '-c' and '-i' must be used together.*").WithParameterName("options");
    }

    [Fact]
    public async Task Write_Stanza_StartsWithBlankLineNameAndObjtype()
    {
        await _catalog.SaveImageAsync(Some.NetbootImage());
        var text = await ListAsync(new ObjectListingOptions { Stanza = true });
        text.Should().StartWith("# <xCAT data object stanza file>\n\nrhels7.1-x86_64-netboot-compute:\n    objtype=osimage\n    exlist=");
        text.Should().EndWith("    rootimgdir=/install/netboot/rhels7.1/x86_64/compute\n");
    }

    [Theory]
    [InlineData(false, false, false)]
    [InlineData(true, false, false)]
    [InlineData(false, true, false)]
    [InlineData(false, false, true)]
    public async Task Write_ControlCharactersInValues_CannotForgeLinesOrReachTheTerminal(bool longFormat, bool compact, bool stanza)
    {
        await _catalog.SaveImageAsync(Some.NetbootImage());
        await new ObjectCommands(_catalog).ChangeAsync("osimage", ["rhels7.1-x86_64-netboot-compute"],
            [new("description", "ok\nObject name: forged\n    profile=evil\u001b]0;pwned\u0007\\")], AttributeChangeMode.Replace);
        var options = new ObjectListingOptions { LongFormat = longFormat, Compact = compact, Stanza = stanza };
        if (compact || !longFormat)
        {
            options.Attributes.Add("description");
        }

        var text = await ListAsync(options);

        text.Should().Contain(@"description=ok\nObject name: forged\n    profile=evil\033]0;pwned\a\\" + "\n");
        text.Should().NotContain("\u001b").And.NotContain("\u0007");
        text.Split('\n').Should().NotContain(static l => l.StartsWith("Object name: forged", StringComparison.Ordinal) || l.StartsWith("    profile=evil", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Write_BackslashesWithoutControlCharacters_ArePrintedAsXcatPrintsThem()
    {
        await _catalog.SaveImageAsync(Some.NetbootImage());
        await new ObjectCommands(_catalog).ChangeAsync("osimage", ["rhels7.1-x86_64-netboot-compute"],
            [new("description", @"|\D+(\d+)|10.0.0.($1)|")], AttributeChangeMode.Replace);
        var options = new ObjectListingOptions();
        options.Attributes.Add("description");

        (await ListAsync(options)).Should().Be("Object name: rhels7.1-x86_64-netboot-compute\n    description=|\\D+(\\d+)|10.0.0.($1)|\n");
    }

    [Fact]
    public void WriteAttributeHelp_Node_ListsEveryAttributeSortedWithItsColumnDescription()
    {
        using var writer = new StringWriter();
        ObjectListing.WriteAttributeHelp("node", null, writer);
        var text = writer.ToString();

        text.Should().StartWith("The valid attribute names for object type 'node' are:\nAttribute          Description\n\n");
        var entries = text["The valid attribute names for object type 'node' are:\nAttribute          Description\n\n".Length..].TrimEnd('\n').Split("\n\n");
        entries.Select(static e => e[..e.IndexOf(':', StringComparison.Ordinal)]).Should().Equal(
            ObjectCommands.GetAttributeNames("node").Order(StringComparer.Ordinal));
        entries.Should().Contain("os:\t\t" + XcatSchema.GetTable("nodetype").ColumnDescriptions["os"])
            .And.Contain("postbootscripts:\t" + XcatSchema.GetTable("postscripts").ColumnDescriptions["postbootscripts"])
            .And.Contain("usercomment:\t" + XcatSchema.GetTable("nodelist").ColumnDescriptions["comments"]);
        text.Should().EndWith("\n").And.NotEndWith("\n\n");
    }

    [Fact]
    public void WriteAttributeHelp_SelectedAttributes_HaveNoHeading()
    {
        using var writer = new StringWriter();
        ObjectListing.WriteAttributeHelp("osimage", ["rootimgdir", "groups"], writer);

        writer.ToString().Should().Be("Attribute          Description\n\n" +
            $"groups:\t\t{XcatSchema.GetTable("osimage").ColumnDescriptions["groups"]}\n\n" +
            $"rootimgdir:\t{XcatSchema.GetTable("linuximage").ColumnDescriptions["rootimgdir"]}\n");
    }

    [Fact]
    public void WriteAttributeHelp_Site_DescribesTheSiteObjectAsAWhole()
    {
        using var writer = new StringWriter();
        ObjectListing.WriteAttributeHelp("site", ["installdir"], writer);

        writer.ToString().Should().Be("\nThere can only be one xCAT site definition. This definition consists \n" +
            "of an unlimited list of user-defined attributes and values that represent \nglobal settings for the whole cluster. " +
            "The following is a list \nof the attributes currently supported by xCAT.\n" + XcatSchema.GetTable("site").ColumnDescriptions["key"] + "\n");
    }

    [Theory]
    [InlineData("node", "colour", "'colour' is not a valid attribute name for an object type of 'node'.")]
    [InlineData("network", null, "Unknown object type 'network'")]
    public void WriteAttributeHelp_BadTypeOrAttribute_Throws(string type, string? attribute, string message)
        => FluentActions.Invoking(() => ObjectListing.WriteAttributeHelp(type, attribute is null ? null : [attribute], TextWriter.Null))
            .Should().Throw<ArgumentException>().WithMessage(message + "*");

    private async Task<string> ListAsync(ObjectListingOptions? options)
    {
        var objects = await new ObjectCommands(_catalog).ListAsync("osimage");
        using var writer = new StringWriter();
        ObjectListing.Write(objects, options, writer);
        return writer.ToString();
    }
}
