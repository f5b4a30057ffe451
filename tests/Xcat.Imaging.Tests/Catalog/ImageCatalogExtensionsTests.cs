using Xcat.Imaging.Catalog;
using Xcat.Imaging.Tables;
using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Tests.Catalog;

public sealed class ImageCatalogExtensionsTests
{
    private readonly InMemoryImageCatalog _catalog = new();

    [Fact]
    public async Task GetNodePostScriptsAsync_PrefixesXcatdefaultsToTheNodesOwn()
    {
        await new TableDump(_catalog).RestoreAsync("postscripts", new StringReader(
            "#node,postscripts,postbootscripts\n\"xcatdefaults\",\"syslog,remoteshell\",\"otherpkgs\"\n\"compute\",\"setupnfs\",\"mlnxofed\"\n"));
        await new ObjectCommands(_catalog).ChangeAsync("node", ["n1", "n2"], [new("groups", "compute")]);
        await new ObjectCommands(_catalog).ChangeAsync("node", ["n2"], [new("postscripts", "own")]);

        var inherited = await _catalog.GetNodePostScriptsAsync("n1");
        inherited.PostScripts.Should().Equal("syslog", "remoteshell", "setupnfs");
        inherited.PostBootScripts.Should().Equal("otherpkgs", "mlnxofed");
        (await _catalog.GetNodePostScriptsAsync("n2")).PostScripts.Should().Equal("syslog", "remoteshell", "own");
    }

    [Fact]
    public async Task GetNodePostScriptsAsync_UnknownNode_ThrowsXcatMessage()
    {
        var act = () => _catalog.GetNodePostScriptsAsync("nosuch");
        (await act.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().StartWith("Unable to get postscripts, nosuch is not a valid node.");
    }

    [Fact]
    public async Task GetNodesAsync_ResolvesTypedNodes()
    {
        await new ObjectCommands(_catalog).ChangeAsync("node", ["n1"], [new("groups", "compute,all"), new("os", "rhels9.4"), new("provmethod", "img"), new("status", "booted")]);
        var node = (await _catalog.GetNodesAsync()).Single();
        node.Groups.Should().Equal("compute", "all");
        node.Os.Should().Be("rhels9.4");
        node.ProvMethod.Should().Be("img");
        node.OtherAttributes.Should().Contain("status", "booted");
    }

    [Fact]
    public async Task ExpandNodeRangeAsync_UsesTheCatalogsNodesAndGroups()
    {
        await new ObjectCommands(_catalog).ChangeAsync("node", ["n1", "n2", "n3"], [new("groups", "compute")]);
        (await _catalog.ExpandNodeRangeAsync("compute,-n2")).Should().Equal("n1", "n3");
        var act = () => _catalog.ExpandNodeRangeAsync("n4");
        await act.Should().ThrowAsync<ArgumentException>().WithMessage("Invalid nodes in noderange:n4*");
    }

    [Fact]
    public async Task RemoveImageAsync_ReportsWhetherItExisted()
    {
        await _catalog.SaveImageAsync(Some.NetbootImage());
        (await _catalog.RemoveImageAsync(Some.NetbootImage().Name)).Should().BeTrue();
        (await _catalog.RemoveImageAsync(Some.NetbootImage().Name)).Should().BeFalse();
        (await _catalog.ReadTableAsync("linuximage")).Should().BeEmpty();
    }
}
