using Xcat.Imaging.Catalog;
using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Tests.Catalog;

public sealed class ObjectCommandsTests
{
    private const string Image = "rhels7.1-x86_64-netboot-compute";
    private readonly InMemoryImageCatalog _catalog = new();
    private readonly ObjectCommands _commands;

    public ObjectCommandsTests()
    {
        _commands = new ObjectCommands(_catalog);
    }

    [Fact]
    public async Task ChangeAsync_Replace_SetsValueAndTouchesNothingElse()
    {
        await _catalog.SaveImageAsync(Some.NetbootImage());
        var result = await ChangeAsync(Image, AttributeChangeMode.Replace, ("profile", "login"));
        result.Modified.Should().Equal(Image);
        result.Created.Should().BeEmpty();
        var attributes = await AttributesAsync(Image);
        attributes["profile"].Should().Be("login");
        attributes["pkglist"].Should().Be("/opt/xcat/share/xcat/netboot/rh/compute.rhels7.x86_64.pkglist");
    }

    [Fact]
    public async Task ChangeAsync_EmptyValue_ClearsTheAttribute()
    {
        await _catalog.SaveImageAsync(Some.NetbootImage());
        await ChangeAsync(Image, AttributeChangeMode.Replace, ("exlist", ""));
        (await AttributesAsync(Image)).Should().NotContainKey("exlist");
        (await _catalog.ReadTableAsync("linuximage")).Single()["exlist"].Should().BeNull();
    }

    [Fact]
    public async Task ChangeAsync_Plus_AppendsOnlyItemsNotPresent()
    {
        await _catalog.SaveImageAsync(Some.NetbootImage());
        await ChangeAsync(Image, AttributeChangeMode.Replace, ("postscripts", "a,b"));
        await ChangeAsync(Image, AttributeChangeMode.Plus, ("postscripts", "b,c,a,d"));
        (await AttributesAsync(Image))["postscripts"].Should().Be("a,b,c,d");
    }

    [Fact]
    public async Task ChangeAsync_Minus_RemovesItems()
    {
        await _catalog.SaveImageAsync(Some.NetbootImage());
        await ChangeAsync(Image, AttributeChangeMode.Replace, ("postscripts", "a,b,c"));
        await ChangeAsync(Image, AttributeChangeMode.Minus, ("postscripts", "a,c"));
        (await AttributesAsync(Image))["postscripts"].Should().Be("b");
    }

    [Fact]
    public async Task ChangeAsync_MinusOfMissingItem_FailsWithXcatMessageAndChangesNothing()
    {
        await _catalog.SaveImageAsync(Some.NetbootImage());
        await ChangeAsync(Image, AttributeChangeMode.Replace, ("postscripts", "a,b"));
        var before = await CatalogSnapshot.TakeAsync(_catalog);

        var act = () => ChangeAsync(Image, AttributeChangeMode.Minus, ("postscripts", "a,x"));

        (await act.Should().ThrowAsync<ArgumentException>()).Which.Message.Should()
            .Be($"x is not in the attribute of 'postscripts' for the '{Image}' definition.");
        (await CatalogSnapshot.TakeAsync(_catalog)).Should().Be(before);
    }

    [Fact]
    public async Task ChangeAsync_NewOsImageWithoutImagetype_BecomesNim()
    {
        var result = await ChangeAsync("aix71", AttributeChangeMode.Replace, ("provmethod", "netboot"));
        result.Created.Should().Equal("aix71");
        (await AttributesAsync("aix71"))["imagetype"].Should().Be("NIM");
    }

    [Fact]
    public async Task ChangeAsync_LinuxAttributeOnNonLinuxImage_FailsWithXcatMessage()
    {
        var act = () => ChangeAsync("newimage", AttributeChangeMode.Replace, ("provmethod", "netboot"), ("pkglist", "/x.pkglist"));
        (await act.Should().ThrowAsync<ArgumentException>()).Which.Message.Should()
            .Be("Cannot set the attr='pkglist' attribute unless imagetype value is linux.");
        (await _catalog.ReadTableAsync("osimage")).Should().BeEmpty();
    }

    [Fact]
    public async Task ChangeAsync_UnknownAttribute_IsAnErrorNamingIt()
    {
        await _catalog.SaveImageAsync(Some.NetbootImage());
        var before = await CatalogSnapshot.TakeAsync(_catalog);
        var act = () => ChangeAsync(Image, AttributeChangeMode.Replace, ("profile", "x"), ("colour", "blue"));
        (await act.Should().ThrowAsync<ArgumentException>()).Which.Message.Should()
            .Be("'colour' is not a valid attribute name for an object type of 'osimage'.");
        (await CatalogSnapshot.TakeAsync(_catalog)).Should().Be(before);
    }

    [Fact]
    public async Task ChangeAsync_InvalidValues_ReportsEveryProblem()
    {
        await _catalog.SaveImageAsync(Some.NetbootImage());
        var act = () => ChangeAsync(Image, AttributeChangeMode.Replace, ("provmethod", "diskless"), ("osarch", "vax"), ("pkglist", "relative.pkglist"));
        var message = (await act.Should().ThrowAsync<ArgumentException>()).Which.Message;
        message.Should().Contain("provmethod: 'diskless'").And.Contain("osarch: 'vax'").And.Contain("pkglist: 'relative.pkglist'");
    }

    [Fact]
    public async Task ChangeAsync_NodeAttributes_GoToTheirTables()
    {
        await ChangeNodeAsync(["n1"], ("groups", "compute,all"), ("os", "rhels9.4"), ("postscripts", "setupnfs"));
        (await _catalog.ReadTableAsync("nodelist")).Single()["groups"].Should().Be("compute,all");
        (await _catalog.ReadTableAsync("nodetype")).Single()["os"].Should().Be("rhels9.4");
        (await _catalog.ReadTableAsync("postscripts")).Single()["postscripts"].Should().Be("setupnfs");
    }

    [Fact]
    public async Task ListAsync_NodeAttributes_AreInheritedFromGroupsUnlessSetOnTheNode()
    {
        await ChangeNodeAsync(["n1", "n2"], ("groups", "compute"));
        await ChangeNodeAsync(["n2"], ("arch", "ppc64le"));
        var changes = new CatalogChanges()
            .Upsert("nodetype", new Dictionary<string, string> { ["node"] = "compute" }, new Dictionary<string, string?> { ["arch"] = "x86_64", ["os"] = "rhels9.4" });
        await _catalog.ApplyAsync(changes);

        var nodes = await _commands.ListAsync("node");

        nodes.Select(n => (n.Name, n.Attributes["arch"], n.Attributes["os"])).Should().Equal(("n1", "x86_64", "rhels9.4"), ("n2", "ppc64le", "rhels9.4"));
    }

    [Fact]
    public async Task MakeAsync_ExistingObject_FailsUnlessForced()
    {
        await _catalog.SaveImageAsync(Some.NetbootImage());
        var attributes = new Dictionary<string, string> { ["imagetype"] = "linux", ["profile"] = "service" };

        var act = () => _commands.MakeAsync("osimage", [Image], attributes);
        (await act.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain($"A definition for '{Image}' already exists.");

        var result = await _commands.MakeAsync("osimage", [Image], attributes, ExistingObjectHandling.Replace);
        result.Modified.Should().Equal(Image);
        (await AttributesAsync(Image)).Should().BeEquivalentTo(new Dictionary<string, string> { ["imagetype"] = "linux", ["profile"] = "service" });
    }

    [Fact]
    public async Task MakeAsync_InvalidName_IsRefused()
    {
        var act = () => _commands.MakeAsync("osimage", ["bad name"], new Dictionary<string, string> { ["imagetype"] = "linux" });
        (await act.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("'bad name'");
    }

    [Fact]
    public async Task RemoveAsync_RemovesEveryRowOfTheObject()
    {
        await _catalog.SaveImageAsync(Some.NetbootImage());
        (await _commands.RemoveAsync("osimage", [Image])).Should().Be(1);
        (await _catalog.ReadTableAsync("osimage")).Should().BeEmpty();
        (await _catalog.ReadTableAsync("linuximage")).Should().BeEmpty();
    }

    [Fact]
    public async Task RemoveAsync_MissingObject_ThrowsAndRemovesNothing()
    {
        await _catalog.SaveImageAsync(Some.NetbootImage());
        var act = () => _commands.RemoveAsync("osimage", [Image, "nosuch"]);
        (await act.Should().ThrowAsync<ArgumentException>()).Which.Should().Match<ArgumentException>(e =>
            e.ParamName == "names" && e.Message.StartsWith("Could not find an object named 'nosuch' of type 'osimage'.", StringComparison.Ordinal));
        (await _catalog.ReadTableAsync("osimage")).Should().HaveCount(1);
    }

    [Fact]
    public async Task ListAsync_DisabledRow_IsInvisible()
    {
        await _catalog.SaveImageAsync(Some.NetbootImage() with { OsImage = Some.NetbootImage().OsImage with { Disable = "yes" } });
        (await _commands.ListAsync("osimage")).Should().BeEmpty();
    }

    [Fact]
    public async Task ListAsync_UnknownType_Throws()
    {
        var act = () => _commands.ListAsync("network");
        (await act.Should().ThrowAsync<ArgumentException>()).WithParameterName("type");
    }

    private Task<ObjectChangeResult> ChangeAsync(string name, AttributeChangeMode mode, params (string Attribute, string Value)[] pairs)
        => _commands.ChangeAsync("osimage", [name], [.. pairs.Select(p => new KeyValuePair<string, string>(p.Attribute, p.Value))], mode);

    private Task<ObjectChangeResult> ChangeNodeAsync(string[] names, params (string Attribute, string Value)[] pairs)
        => _commands.ChangeAsync("node", names, [.. pairs.Select(p => new KeyValuePair<string, string>(p.Attribute, p.Value))]);

    private async Task<IReadOnlyDictionary<string, string>> AttributesAsync(string name)
        => (await _commands.ListAsync("osimage", [name])).Single().Attributes;

    [Fact]
    public async Task NodeScriptsThatXcatdefaultsRuns_AreLeftOut_WithXcatsWarning()
    {
        await _catalog.ApplyAsync(new CatalogChanges().Upsert("postscripts", new Dictionary<string, string> { ["node"] = "xcatdefaults" },
            new Dictionary<string, string?> { ["postscripts"] = "syslog,remoteshell", ["postbootscripts"] = "otherpkgs" }));

        var made = await _commands.MakeAsync("node", ["cn01"], new Dictionary<string, string>
        {
            ["groups"] = "all", ["postscripts"] = "syslog,setupnfs", ["postbootscripts"] = "otherpkgs",
        });
        var changed = await _commands.ChangeAsync("node", ["cn01"], [new("postscripts", "remoteshell,ntp")], AttributeChangeMode.Plus);

        made.Warnings.Should().Equal(
            "cn01: postscripts 'syslog' is already included in the 'xcatdefaults'.",
            "cn01: postbootscripts 'otherpkgs' is already included in the 'xcatdefaults'.");
        changed.Warnings.Should().Equal("cn01: postscripts 'remoteshell' is already included in the 'xcatdefaults'.");
        var row = (await _catalog.ReadTableAsync("postscripts")).Single(r => r["node"] == "cn01");
        row["postscripts"].Should().Be("setupnfs,ntp");
        row["postbootscripts"].Should().BeNull();
    }
}
