using Xcat.Imaging.Catalog;
using Xcat.Imaging.Definitions;

namespace Xcat.Imaging.Tests.Catalog;

/// <summary>The site table as one typed object, and as the <c>site</c> object type of lsdef, chdef and rmdef.</summary>
public sealed class SiteSettingsTests
{
    private readonly InMemoryImageCatalog _catalog = new();

    [Fact]
    public async Task ReadAsync_NoRows_GivesXcatsDefaults()
    {
        var site = await _catalog.ReadSiteSettingsAsync();

        site.InstallDirectory.Should().Be("/install");
        site.TftpDirectory.Should().Be("/tftpboot");
        site.HttpPort.Should().Be(80);
        site.Master.Should().BeNull();
        site.Timezone.Should().BeNull();
        site.Domain.Should().BeNull();
        site.TemporaryDirectory.Should().BeNull();
        site.Values.Should().BeEmpty();
    }

    [Fact]
    public async Task ReadAsync_Rows_AreTyped_DisabledRowsAndEmptyValuesIgnored_OtherKeysKept()
    {
        await _catalog.ApplyAsync(new CatalogChanges()
            .Insert("site", Row("installdir", "/srv/xcat/"))
            .Insert("site", Row("tftpdir", "/var/lib/tftpboot"))
            .Insert("site", Row("master", "10.0.0.1"))
            .Insert("site", Row("httpport", "8080"))
            .Insert("site", Row("timezone", "Europe/Berlin"))
            .Insert("site", Row("domain", "cluster.example"))
            .Insert("site", Row("tmpdir", "/var/tmp/xcat"))
            .Insert("site", Row("sharedtftp", "1"))
            .Insert("site", Row("dhcplease", ""))
            .Insert("site", new Dictionary<string, string?> { ["key"] = "nameservers", ["value"] = "10.0.0.2", ["disable"] = "yes" }));

        var site = await _catalog.ReadSiteSettingsAsync();

        site.InstallDirectory.Should().Be("/srv/xcat", "a trailing slash is dropped, as every path built from it expects");
        site.TftpDirectory.Should().Be("/var/lib/tftpboot");
        site.Master.Should().Be("10.0.0.1");
        site.HttpPort.Should().Be(8080);
        site.Timezone.Should().Be("Europe/Berlin");
        site.Domain.Should().Be("cluster.example");
        site.TemporaryDirectory.Should().Be("/var/tmp/xcat");
        site.Values.Keys.Should().BeEquivalentTo(["installdir", "tftpdir", "master", "httpport", "timezone", "domain", "tmpdir", "sharedtftp"]);
    }

    [Theory]
    [InlineData("installdir", "install", "installdir is 'install', which is not an absolute path")]
    [InlineData("tftpdir", "tftpboot", "tftpdir is 'tftpboot', which is not an absolute path")]
    [InlineData("httpport", "http", "httpport is 'http', which is not a TCP port number (1 to 65535)")]
    [InlineData("httpport", "0", "httpport is '0'")]
    [InlineData("httpport", "65536", "httpport is '65536'")]
    [InlineData("httpport", "-1", "httpport is '-1'")]
    public async Task ReadAsync_UnusableValue_IsInvalidDataNamingTheKey(string key, string value, string message)
    {
        await _catalog.ApplyAsync(new CatalogChanges().Insert("site", Row(key, value)));

        var act = () => _catalog.ReadSiteSettingsAsync();

        (await act.Should().ThrowAsync<InvalidDataException>()).Which.Message.Should()
            .StartWith("The catalog's site table cannot be used: the site attribute ").And.Contain(message);
        FluentActions.Invoking(() => SiteSettings.FromValues([new(key, value)])).Should().Throw<ArgumentException>().WithMessage($"*{message}*");
    }

    [Fact]
    public void WithInstallDirectory_OverridesOnlyTheInstallDirectory()
    {
        var site = SiteSettings.FromValues([new("installdir", "/install"), new("master", "mn")]);

        var moved = site.WithInstallDirectory("/srv/images/");

        moved.InstallDirectory.Should().Be("/srv/images");
        moved.Master.Should().Be("mn");
        site.InstallDirectory.Should().Be("/install");
        FluentActions.Invoking(() => site.WithInstallDirectory("relative")).Should().Throw<ArgumentException>().WithMessage("*not an absolute path*");
    }

    [Fact]
    public async Task Lsdef_Site_IsTheOneObjectClustersite_WithEveryEnabledRow()
    {
        await _catalog.ApplyAsync(new CatalogChanges().Insert("site", Row("installdir", "/install")).Insert("site", Row("master", "10.0.0.1")));

        var objects = await new ObjectCommands(_catalog).ListAsync("site");

        objects.Should().ContainSingle().Which.Should().BeEquivalentTo(new XcatObject("site", "clustersite",
            new Dictionary<string, string> { ["installdir"] = "/install", ["master"] = "10.0.0.1" }));
        (await new ObjectCommands(new InMemoryImageCatalog()).ListAsync("site")).Should().BeEmpty("a site table without rows shows no object, as in xCAT");
        ObjectCommands.ObjectTypes.Should().Contain("site");
    }

    [Fact]
    public async Task Chdef_Site_SetsAddsRemovesAndDeletesRows()
    {
        var commands = new ObjectCommands(_catalog);
        await commands.ChangeAsync("site", ["clustersite"], [new("installdir", "/srv/xcat"), new("ntpservers", "a,b")]);
        await commands.ChangeAsync("site", [], [new("ntpservers", "c")], AttributeChangeMode.Plus);
        await commands.ChangeAsync("site", ["clustersite"], [new("ntpservers", "a")], AttributeChangeMode.Minus);

        (await _catalog.ReadSiteSettingsAsync()).Values.Should().Equal(new Dictionary<string, string> { ["installdir"] = "/srv/xcat", ["ntpservers"] = "b,c" });

        await commands.ChangeAsync("site", ["clustersite"], [new("ntpservers", "")]);

        (await _catalog.ReadTableAsync("site")).Select(r => r["key"]).Should().Equal(["installdir"], "an empty value deletes the row, as xCAT's setobjdefs does");
    }

    [Theory]
    [InlineData("installdir", "relative/dir", "The site attribute installdir is 'relative/dir', which is not an absolute path.")]
    [InlineData("httpport", "eighty", "The site attribute httpport is 'eighty', which is not a TCP port number (1 to 65535).")]
    [InlineData("bad key", "x", "'bad key' is not a valid site attribute name.")]
    public async Task Chdef_Site_UnusableValue_IsRefusedAndNothingChanges(string key, string value, string message)
    {
        await _catalog.ApplyAsync(new CatalogChanges().Insert("site", Row("installdir", "/install")));

        var act = () => new ObjectCommands(_catalog).ChangeAsync("site", ["clustersite"], [new("master", "mn"), new(key, value)]);

        (await act.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Be(message);
        (await _catalog.ReadTableAsync("site")).Select(r => (r["key"], r["value"])).Should().Equal(("installdir", "/install"));
    }

    [Fact]
    public async Task Site_OtherObjectNames_AndMkdef_AreRefused_RmdefDeletesEveryRow()
    {
        await _catalog.ApplyAsync(new CatalogChanges().Insert("site", Row("installdir", "/install")).Insert("site", Row("master", "mn")));
        var commands = new ObjectCommands(_catalog);

        await FluentActions.Awaiting(() => commands.ListAsync("site", ["mysite"])).Should().ThrowAsync<ArgumentException>()
            .WithMessage("Could not find an object named 'mysite' of type 'site'. The site object is 'clustersite'.*");
        await FluentActions.Awaiting(() => commands.MakeAsync("site", ["clustersite"], new Dictionary<string, string> { ["master"] = "x" }))
            .Should().ThrowAsync<ArgumentException>().WithMessage("*always exists*chdef -t site*");

        (await commands.RemoveAsync("site", ["clustersite"])).Should().Be(1);

        (await _catalog.ReadTableAsync("site")).Should().BeEmpty();
    }

    private static Dictionary<string, string?> Row(string key, string value) => new() { ["key"] = key, ["value"] = value };
}
