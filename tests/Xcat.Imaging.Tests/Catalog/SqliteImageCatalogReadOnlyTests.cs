using Microsoft.Data.Sqlite;
using Xcat.Imaging.Catalog;
using Xcat.Imaging.Definitions;
using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Tests.Catalog;

/// <summary>A catalog opened read-only (a shared catalog this user cannot write) is read, never changed or created.</summary>
public sealed class SqliteImageCatalogReadOnlyTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task ReadOnly_ReadsAnExistingCatalog_AndRefusesAChange()
    {
        var path = _temp.Combine("catalog.db");
        var writable = await SqliteImageCatalog.OpenAsync(path);
        await writable.SaveImageAsync(new ImageDefinition(new OsImage("ro-image") { ImageType = "linux", ProvMethod = "netboot", Profile = "p", OsVersion = "rhels9.4", OsArch = "x86_64" }));
        var before = await File.ReadAllBytesAsync(path);

        var catalog = await SqliteImageCatalog.OpenAsync(path, new SqliteImageCatalogOptions { ReadOnly = true });

        (await catalog.FindImageAsync("ro-image")).Should().NotBeNull();
        var act = () => catalog.SaveImageAsync(new ImageDefinition(new OsImage("other") { ImageType = "linux" }));
        (await act.Should().ThrowAsync<SqliteException>()).Which.SqliteErrorCode.Should().Be(8, "SQLITE_READONLY");
        (await File.ReadAllBytesAsync(path)).Should().Equal(before);
    }

    [Fact]
    public async Task ReadOnly_MissingFile_IsNotCreated()
    {
        var path = _temp.Combine("sub", "missing.db");

        var act = () => SqliteImageCatalog.OpenAsync(path, new SqliteImageCatalogOptions { ReadOnly = true });

        (await act.Should().ThrowAsync<FileNotFoundException>()).WithMessage($"The catalog '{path}' does not exist, so it cannot be opened read-only.");
        Directory.Exists(_temp.Combine("sub")).Should().BeFalse();
    }

    [Fact]
    public async Task ReadOnly_FileThatIsNotADatabase_IsRefused()
    {
        var path = _temp.Combine("notes.db");
        await File.WriteAllTextAsync(path, new string('x', 4096));

        var act = () => SqliteImageCatalog.OpenAsync(path, new SqliteImageCatalogOptions { ReadOnly = true });

        await act.Should().ThrowAsync<InvalidDataException>().WithMessage($"The catalog '{path}' is not a SQLite database.");
    }
}
