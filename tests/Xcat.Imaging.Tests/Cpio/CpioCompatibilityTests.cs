using System.Runtime.Versioning;
using Microsoft.Extensions.Logging.Abstractions;
using Xcat.Imaging.Packing;
using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Tests.Cpio;

/// <summary>
/// cpio archives written by the real GNU cpio (<c>-H newc</c>, <c>odc</c>, <c>crc</c>) and bsdtar (<c>--format newc</c>,
/// <c>odc</c>), extracted by GNU cpio (<c>-idm --numeric-uid-gid</c>, as root) and by <see cref="RamdiskUnpacker"/>;
/// the two trees are compared whole with <see cref="ByteTreeManifest"/>: names as bytes, types, modes, owners,
/// times, sizes, contents, link targets, device numbers and hard-link groups.
/// </summary>
[SupportedOSPlatform("linux")]
[Trait("Category", "Interop")]
public sealed class CpioCompatibilityTests : IDisposable
{
    /// <summary>
    /// Every type cpio holds, odd modes, owners, a hard-link group, a device node, and names that are not UTF-8
    /// (Latin-1, KOI8-R, EUC-JP, bytes of no encoding) on a file, a directory, a file inside it and a link target.
    /// </summary>
    private const string Tree = """
        set -e
        mkdir -p src/dir/sub src/empty-dir src/dev
        printf 'hello\n' > src/file
        head -c 70000 /dev/urandom > src/dir/big
        : > src/empty
        ln -s file src/link
        ln -s /nonexistent/absolute src/dangling
        ln src/dir/big src/dir/hard; ln src/dir/big src/hard-top
        mkfifo src/fifo
        mknod src/dev/null c 1 3; mknod src/dev/loop7 b 7 7
        chmod 640 src/file; chmod 4755 src/dir/big; chmod 2750 src/dir; chmod 1777 src/dir/sub; chmod 500 src/empty-dir
        chown 1234:5678 src/file; chown -h 42:43 src/link
        printf latin1 > "src/$(printf 'caf\351')"
        printf koi8 > "src/$(printf '\320\322\311\327\305\324')"
        mkdir "src/$(printf '\306\374\313\334')"; printf eucjp > "src/$(printf '\306\374\313\334')/$(printf '\377\376x')"
        ln -s "$(printf 'caf\351')" "src/link-$(printf '\351')"
        find src -depth -exec touch -h -d '2001-02-03 04:05:06' {} +
        touch -h -d '1999-12-31 23:59:59' src/dir/big src/link
        """;

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [RootTheory]
    [InlineData("newc")]
    [InlineData("odc")]
    [InlineData("crc")]
    public async Task GnuCpio_EachFormat_UnpacksToTheSameTreeAsGnuCpio(string format)
    {
        await ShellAsync($"{Tree}\ncd src && find . | cpio -o --quiet -H {format} > ../a.cpio");

        await AssertSameTreeAsGnuCpioAsync("a.cpio");
    }

    [RootTheory]
    [InlineData("newc")]
    [InlineData("odc")]
    public async Task Bsdtar_EachFormat_UnpacksToTheSameTreeAsGnuCpio(string format)
    {
        await ShellAsync($"{Tree}\nbsdtar --format {format} -cf a.cpio -C src .");

        await AssertSameTreeAsGnuCpioAsync("a.cpio");
    }

    [RootTheory]
    [InlineData("newc", "gzip -n")]
    [InlineData("odc", "xz -T1")]
    public async Task GnuCpio_Compressed_UnpacksToTheSameTreeAsGnuCpio(string format, string compress)
    {
        await ShellAsync($"{Tree}\ncd src && find . | cpio -o --quiet -H {format} | {compress} > ../a.cpio.z\ncd .. && {compress} -dc a.cpio.z > a.cpio");

        await AssertSameTreeAsGnuCpioAsync("a.cpio", ours: "a.cpio.z");
    }

    private async Task AssertSameTreeAsGnuCpioAsync(string archive, string? ours = null)
    {
        var theirsRoot = _temp.Combine("theirs");
        var oursRoot = _temp.Combine("ours");
        Directory.CreateDirectory(theirsRoot);
        await ShellAsync($"cd theirs && cpio -idm --quiet --no-absolute-filenames --numeric-uid-gid < ../{archive}");
        var result = await new RamdiskUnpacker(loggerFactory: NullLoggerFactory.Instance).ExtractAsync(_temp.Combine(ours ?? archive), oursRoot);

        // GNU cpio 2.13 -idm sets neither a directory's time (it writes into the directory afterwards) nor a
        // symbolic link's; the library sets both, so those two are compared against the source tree instead.
        var expected = ByteTreeManifest.Capture(theirsRoot);
        var actual = ByteTreeManifest.Capture(oursRoot);
        actual.Select(Untimed).Should().BeEquivalentTo(expected.Select(Untimed), o => o.WithStrictOrdering());
        actual.Where(IsDirectoryOrLink).Select(e => (e.Name, e.Mtime)).Should().BeEquivalentTo(
            ByteTreeManifest.Capture(_temp.Combine("src")).Where(IsDirectoryOrLink).Select(e => (e.Name, e.Mtime)));
        result.Entries.Should().Be(expected.Count, "every member is counted, the root directory included");
    }

    private static bool IsDirectoryOrLink(ByteTreeEntry entry) => (entry.Mode & 0xF000) is 0x4000 or 0xA000;

    private static ByteTreeEntry Untimed(ByteTreeEntry entry) => IsDirectoryOrLink(entry) ? entry with { Mtime = 0, Blocks = 0 } : entry with { Blocks = 0 };

    private async Task ShellAsync(string script)
    {
        var result = await ExternalTool.ShellAsync(script, _temp.Path, TimeSpan.FromMinutes(2));
        result.ExitCode.Should().Be(0, result.StandardError);
    }
}
