using System.IO.Abstractions;
using Xcat.Imaging.IO;
using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Tests.IO;

public sealed class AtomicFileTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly FileSystem _fs = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Commit_ReplacesTargetWithMode0644_AndLeavesNoTempFile()
    {
        var target = _temp.Combine("rootimg.cpio.gz");
        await File.WriteAllTextAsync(target, "old");
        using (var file = AtomicFile.Create(_fs, target))
        {
            await file.Stream.WriteAsync("new"u8.ToArray());
            (await File.ReadAllTextAsync(target)).Should().Be("old", "the target is untouched until the commit");
            await file.CommitAsync();
        }

        (await File.ReadAllTextAsync(target)).Should().Be("new");
        File.GetUnixFileMode(target).Should().Be((UnixFileMode)0b110_100_100);
        Directory.GetFiles(_temp.Path).Should().Equal(target);
    }

    [Fact]
    public async Task Dispose_WithoutCommit_KeepsOldTargetAndDeletesTemp()
    {
        var target = _temp.Combine("out");
        await File.WriteAllTextAsync(target, "old");
        using (var file = AtomicFile.Create(_fs, target))
        {
            await file.Stream.WriteAsync("partial"u8.ToArray());
        }

        (await File.ReadAllTextAsync(target)).Should().Be("old");
        Directory.GetFiles(_temp.Path).Should().Equal(target);
    }

    [Fact]
    public void Create_MissingDirectory_ThrowsDirectoryNotFound()
        => FluentActions.Invoking(() => AtomicFile.Create(_fs, _temp.Combine("no", "such", "file")))
            .Should().Throw<DirectoryNotFoundException>().WithMessage("*no/such*");
}
