using Microsoft.Data.Sqlite;
using Xcat.Imaging.Catalog;
using Xcat.Imaging.Definitions;
using Xcat.Imaging.Schema;
using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Tests.Catalog;

public sealed class SqliteImageCatalogTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task OpenAsync_NewFile_HoldsWhatXcatsInstallationWrites_AndNoDefinition()
    {
        var catalog = await SqliteImageCatalog.OpenAsync(_temp.Combine("sub", "catalog.db"));

        (await catalog.GetImagesAsync()).Should().BeEmpty();
        foreach (var table in new[] { "osimage", "linuximage", "osdistro", "nodelist", "nodetype", "litefile" })
        {
            (await catalog.ReadTableAsync(table)).Should().BeEmpty(table);
        }

        (await catalog.ReadTableAsync("postscripts")).Select(r => (r["node"], r["postscripts"], r["postbootscripts"])).Should()
            .Equal(("xcatdefaults", "syslog,remoteshell,syncfiles", "otherpkgs"), ("service", "servicenode", null));
        var site = await catalog.ReadSiteSettingsAsync();
        site.Values.Should().Equal(new Dictionary<string, string> { ["installdir"] = "/install", ["tftpdir"] = "/tftpboot" });

        // The file is plain SQLite with xCAT's table and column names.
        await using var connection = new SqliteConnection($"Data Source={catalog.DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM site WHERE key = 'installdir'";
        (await command.ExecuteScalarAsync()).Should().Be("/install");
    }

    [Fact]
    public async Task OpenAsync_SecondTime_DoesNotWriteTheInitialRowsAgain()
    {
        var path = _temp.Combine("c.db");
        var catalog = await SqliteImageCatalog.OpenAsync(path);
        await catalog.ApplyAsync(new CatalogChanges().Delete("site", new Dictionary<string, string> { ["key"] = "tftpdir" }));

        var reopened = await SqliteImageCatalog.OpenAsync(path);

        (await reopened.ReadTableAsync("site")).Select(r => r["key"]).Should().Equal("installdir");
    }

    [Fact]
    public async Task OpenAsync_NotADatabase_ThrowsInvalidData()
    {
        var path = _temp.Combine("junk.db");
        await File.WriteAllTextAsync(path, new string('x', 4096));
        var act = () => SqliteImageCatalog.OpenAsync(path);
        (await act.Should().ThrowAsync<InvalidDataException>()).Which.Message.Should().Contain(path);
    }

    [Fact]
    public async Task ApplyAsync_Upsert_TouchesOnlyTheColumnsGiven()
    {
        var catalog = await OpenEmptyAsync();
        var key = new Dictionary<string, string> { ["node"] = "n1" };
        await catalog.ApplyAsync(new CatalogChanges().Upsert("postscripts", key, new Dictionary<string, string?> { ["postscripts"] = "a", ["comments"] = "c" }));
        await catalog.ApplyAsync(new CatalogChanges().Upsert("postscripts", key, new Dictionary<string, string?> { ["postbootscripts"] = "b" }));
        await catalog.ApplyAsync(new CatalogChanges().Upsert("postscripts", key, new Dictionary<string, string?> { ["comments"] = null }));

        var row = (await catalog.ReadTableAsync("postscripts")).Single();
        row.Should().BeEquivalentTo(new Dictionary<string, string> { ["node"] = "n1", ["postscripts"] = "a", ["postbootscripts"] = "b" });
    }

    [Fact]
    public async Task ApplyAsync_FailingChange_RollsBackTheWholeBatch()
    {
        var catalog = await OpenEmptyAsync();
        await catalog.ApplyAsync(new CatalogChanges().Insert("nodelist", new Dictionary<string, string?> { ["node"] = "n1" }));
        var batch = new CatalogChanges()
            .Insert("nodelist", new Dictionary<string, string?> { ["node"] = "n2" })
            .Upsert("nodetype", new Dictionary<string, string> { ["node"] = "n2" }, new Dictionary<string, string?> { ["os"] = "x" })
            .Insert("nodelist", new Dictionary<string, string?> { ["node"] = "n1" });

        var act = async () => await catalog.ApplyAsync(batch);

        await act.Should().ThrowAsync<InvalidOperationException>().WithMessage("*node='n1'*");
        (await catalog.ReadTableAsync("nodelist")).Select(r => r["node"]).Should().Equal("n1");
        (await catalog.ReadTableAsync("nodetype")).Should().BeEmpty();
    }

    [Theory]
    [InlineData("nosuch", "node", "No such table: nosuch")]
    [InlineData("nodelist", "colour", "has no column 'colour'")]
    public async Task ApplyAsync_UnknownTableOrColumn_Throws(string table, string column, string message)
    {
        var catalog = await OpenEmptyAsync();
        var act = async () => await catalog.ApplyAsync(new CatalogChanges().Insert(table, new Dictionary<string, string?> { ["node"] = "n", [column] = "v" }));
        (await act.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain(message);
    }

    [Fact]
    public async Task ApplyAsync_ManyWritersAtOnce_AllSucceed()
    {
        var path = _temp.Combine("shared.db");
        await SqliteImageCatalog.OpenAsync(path);

        // Separate catalog objects use separate connections, which SQLite locks like separate processes.
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            var catalog = await SqliteImageCatalog.OpenAsync(path);
            for (var i = 0; i < 50; i++)
            {
                await catalog.SaveImageAsync(new ImageDefinition(new OsImage($"img-{w}-{i}") { ImageType = "linux" }));
            }
        }));
        await Task.WhenAll(writers);

        var reader = await SqliteImageCatalog.OpenAsync(path);
        (await reader.GetImagesAsync()).Should().HaveCount(200);
    }

    [Fact]
    public async Task SaveImageAsync_InvalidDefinition_ThrowsAndStoresNothing()
    {
        var catalog = await OpenEmptyAsync();
        var act = () => catalog.SaveImageAsync(new ImageDefinition(new OsImage("x") { ImageType = "linux", OsArch = "vax" }));
        await act.Should().ThrowAsync<ArgumentException>().WithMessage("*osarch*");
        (await catalog.ReadTableAsync("osimage")).Should().BeEmpty();
    }

    [Fact]
    public async Task SaveImageAsync_RoundTripsEveryColumn()
    {
        var catalog = await OpenEmptyAsync();
        var image = Some.NetbootImage() with
        {
            OsImage = Some.NetbootImage().OsImage with { Comments = "c1", Disable = "0", EnvironmentVariables = ["A=1", "B=2"] },
            LinuxImage = Some.NetbootImage().LinuxImage with { Comments = "c2", NetDrivers = ["e1000", "virtio_net"] },
        };
        await catalog.SaveImageAsync(image);
        var loaded = await catalog.FindImageAsync(image.Name);
        loaded!.ToAttributes().Should().BeEquivalentTo(image.ToAttributes());
        loaded.OsImage.Comments.Should().Be("c1");
        loaded.LinuxImage.NetDrivers.Should().Equal("e1000", "virtio_net");
    }

    /// <summary>A new catalog with its initial site and postscripts rows removed.</summary>
    private async Task<SqliteImageCatalog> OpenEmptyAsync()
    {
        var catalog = await SqliteImageCatalog.OpenAsync(_temp.Combine("empty.db"));
        var changes = new CatalogChanges();
        foreach (var table in XcatSchema.Tables)
        {
            changes.DeleteAll(table.Name);
        }

        await catalog.ApplyAsync(changes);
        return catalog;
    }
}
