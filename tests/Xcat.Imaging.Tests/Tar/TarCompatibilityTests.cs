using System.Runtime.Versioning;
using Microsoft.Extensions.Logging.Abstractions;
using Xcat.Imaging.Packing;
using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Tests.Tar;

/// <summary>
/// Archives written by the real GNU tar (every <c>--format</c>, <c>--sparse</c> in every sparse version, <c>-r</c>
/// appends) and bsdtar, extracted by GNU tar (<c>-xpf --numeric-owner</c>, as root) and by
/// <see cref="RamdiskUnpacker"/>; the two trees are compared with <see cref="ByteTreeManifest"/>: names as bytes,
/// types, modes, owners, times, link targets, hard-link groups, data maps and contents, and allocated blocks.
/// </summary>
[SupportedOSPlatform("linux")]
[Trait("Category", "Interop")]
public sealed class TarCompatibilityTests : IDisposable
{
    /// <summary>Files, directories with odd modes, links of both kinds, a FIFO, owners and times; a long name where the format takes one.</summary>
    private const string PlainTree = """
        set -e
        mkdir -p src/dir/sub src/empty-dir
        printf 'hello\n' > src/file
        head -c 70000 /dev/urandom > src/dir/big
        : > src/empty
        ln -s file src/link
        ln -s /nonexistent/absolute src/dangling
        ln src/file src/dir/hard
        mkfifo src/fifo
        chmod 640 src/file; chmod 4755 src/dir/big; chmod 2750 src/dir; chmod 1777 src/dir/sub; chmod 500 src/empty-dir
        chown 1234:5678 src/file; chown -h 42:43 src/link
        if [ "$LONG" = 1 ]; then mkdir -p src/$(printf 'd%.0s' $(seq 60)); printf long > src/$(printf 'd%.0s' $(seq 60))/$(printf 'n%.0s' $(seq 80)); fi
        find src -depth -exec touch -h -d '2001-02-03 04:05:06' {} +
        touch -h -d '1999-12-31 23:59:59' src/dir/big src/link
        """;

    /// <summary>Holes at the start, in the middle, at the end, everywhere, and a file above 8 GiB that holds little data.</summary>
    private const string SparseTree = """
        set -e
        mkdir -p src
        truncate -s 1M src/lead; printf 'tail-data' | dd of=src/lead bs=4096 seek=255 conv=notrunc status=none
        printf 'head-data' > src/middle; printf 'tail-data' | dd of=src/middle bs=4096 seek=300 conv=notrunc status=none
        printf 'head-data' > src/trail; truncate -s 2M src/trail
        truncate -s 3M src/allhole
        truncate -s 9G src/huge; printf 'at 4 GiB' | dd of=src/huge bs=4096 seek=1048576 conv=notrunc status=none
        printf 'near the end' | dd of=src/huge bs=4096 seek=2359000 conv=notrunc status=none
        head -c 20000 /dev/urandom > src/dense
        find src -depth -exec touch -h -d '2001-02-03 04:05:06' {} +
        """;

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [RootTheory]
    [InlineData("v7")]
    [InlineData("oldgnu")]
    [InlineData("gnu")]
    [InlineData("ustar")]
    [InlineData("posix")]
    public async Task GnuTar_EachFormat_UnpacksToTheSameTreeAsGnuTar(string format)
    {
        // v7 holds neither names over 100 bytes nor FIFOs (GNU tar leaves them out with a warning).
        var tree = format == "v7" ? PlainTree.Replace("mkfifo src/fifo", ":", StringComparison.Ordinal) : PlainTree;
        await ShellAsync($"export LONG={(format == "v7" ? 0 : 1)}\n{tree}\ntar --format={format} -cf a.tar -C src .");

        await AssertSameTreeAsGnuTarAsync("a.tar");
    }

    [RootTheory]
    [InlineData("gnu", null)]
    [InlineData("oldgnu", null)]
    [InlineData("posix", "0.0")]
    [InlineData("posix", "0.1")]
    [InlineData("posix", "1.0")]
    public async Task GnuTar_Sparse_UnpacksToTheSameFilesWithTheirHoles(string format, string? version)
    {
        var sparseVersion = version is null ? string.Empty : $"--sparse-version={version}";
        await ShellAsync($"{SparseTree}\ntar --format={format} --sparse {sparseVersion} -cf a.tar -C src .");

        var ours = await AssertSameTreeAsGnuTarAsync("a.tar");

        var huge = ours.Single(e => e.Name == Hex("huge"));
        huge.Size.Should().Be(9L << 30);
        huge.Blocks.Should().BeLessThan(1024, "a 9 GiB file with two small segments keeps its holes");
        ours.Single(e => e.Name == Hex("allhole")).Map.Should().BeEmpty();
    }

    [RootFact]
    public async Task GnuTar_SparseMembers_AreInspectedWithTheirRealNamesAndSizes()
    {
        await ShellAsync($"{SparseTree}\ntar --format=posix --sparse --sparse-version=1.0 -cf a.tar -C src .");

        var entries = await new RamdiskInspector().EnumerateEntriesAsync(File.OpenRead(_temp.Combine("a.tar"))).ToListAsync();

        entries.Where(e => e.Type == Xcat.Imaging.Unix.UnixFileType.RegularFile).Select(e => (e.Name, e.Length)).Should().BeEquivalentTo(
            [("lead", 1L << 20), ("middle", (300L * 4096) + 9), ("trail", 2L << 20), ("allhole", 3L << 20), ("huge", 9L << 30), ("dense", 20000L)]);
    }

    [RootTheory]
    [InlineData("gnu")]
    [InlineData("posix")]
    [InlineData("ustar")]
    public async Task GnuTar_Appended_LaterMembersReplaceEarlierOnes(string format)
    {
        await ShellAsync($"""
            export LONG=0
            {PlainTree}
            tar --format={format} -cf a.tar -C src .
            printf 'changed, and longer than before\n' > src/file
            rm src/link; printf 'now a file\n' > src/link
            rm src/empty; ln -s file src/empty
            rm src/fifo; printf 'was a fifo\n' > src/fifo
            touch -h -d '2005-05-05 05:05:05' src/file src/link src/empty src/fifo
            tar --format={format} -rf a.tar -C src ./file ./link ./empty ./fifo ./dir
            """);

        var ours = await AssertSameTreeAsGnuTarAsync("a.tar");

        ours.Single(e => e.Name == Hex("file")).Size.Should().Be(32, "the later member wins");
        ours.Single(e => e.Name == Hex("link")).Target.Should().BeNull("the later regular file replaced the symbolic link");
        ours.Single(e => e.Name == Hex("empty")).Target.Should().Be(Hex("file"), "the later symbolic link replaced the file");
    }

    [RootTheory]
    [InlineData("pax", false)]
    [InlineData("ustar", false)]
    [InlineData("pax", true)]
    public async Task Bsdtar_Format_UnpacksToTheSameTreeAsGnuTar(string format, bool sparse)
    {
        await ShellAsync($"export LONG=1\n{(sparse ? SparseTree : PlainTree)}\nbsdtar --format {format} -cf a.tar -C src .");

        // bsdtar does not keep a directory's members together, so GNU tar must be told to set directory times at the
        // end, as bsdtar itself and the library do; otherwise it stamps them with the time of extraction.
        await AssertSameTreeAsGnuTarAsync("a.tar", "--delay-directory-restore");
    }

    /// <summary>Latin-1 <c>café</c>, KOI8-R <c>привет</c>, EUC-JP <c>日本</c>, bytes that are no encoding, and a link target in Latin-1.</summary>
    private const string NamesTree = """
        set -e
        mkdir -p src
        printf latin1 > "src/$(printf 'caf\351')"
        printf koi8 > "src/$(printf '\320\322\311\327\305\324')"
        mkdir "src/$(printf '\306\374\313\334')"; printf eucjp > "src/$(printf '\306\374\313\334')/$(printf '\377\376x')"
        ln -s "$(printf 'caf\351')" src/link
        find src -depth -exec touch -h -d '2001-02-03 04:05:06' {} +
        """;

    private static readonly string[] s_names =
    [
        ".", @"caf\xe9", @"\xd0\xd2\xc9\xd7\xc5\xd4", @"\xc6\xfc\xcb\xdc", @"\xc6\xfc\xcb\xdc/\xff\xfex", "link",
    ];

    [RootTheory]
    [InlineData("gnu")]
    [InlineData("ustar")]
    [InlineData("posix")]
    [InlineData("v7")]
    public async Task GnuTar_NamesThatAreNotUtf8_AreReadByteForByte(string format)
    {
        await ShellAsync($"{NamesTree}\ntar --format={format} -cf a.tar -C src .");

        var entries = new List<Xcat.Imaging.Trees.TreeEntry>();
        var reader = new Xcat.Imaging.Tar.PaxTreeReader(File.OpenRead(_temp.Combine("a.tar")));
        while (await reader.ReadAsync(CancellationToken.None) is { } item)
        {
            entries.Add(item.Entry);
        }

        entries.Select(e => e.Name).Should().BeEquivalentTo(s_names.Select(Decode));
        entries.Single(e => e.Name == "link").LinkTarget.Should().Be(Decode("caf\\xe9"));
    }

    [RootTheory]
    [InlineData("gnu")]
    [InlineData("posix")]
    public async Task GnuTar_NamesThatAreNotUtf8_UnpackToTheSameTreeAsGnuTar(string format)
    {
        await ShellAsync($"{NamesTree}\ntar --format={format} -cf a.tar -C src .");

        await AssertSameTreeAsGnuTarAsync("a.tar");
    }

    /// <summary>A name written with <c>\xNN</c> escapes for its bytes, decoded as the library decodes names.</summary>
    private static string Decode(string escaped)
    {
        var bytes = new List<byte>();
        for (var i = 0; i < escaped.Length; i++)
        {
            if (escaped[i] == '\\' && i + 3 < escaped.Length && escaped[i + 1] == 'x')
            {
                bytes.Add(Convert.ToByte(escaped.Substring(i + 2, 2), 16));
                i += 3;
            }
            else
            {
                bytes.Add((byte)escaped[i]);
            }
        }

        return Xcat.Imaging.Unix.UnixNameEncoding.GetString(bytes.ToArray());
    }

    private async Task<IReadOnlyList<ByteTreeEntry>> AssertSameTreeAsGnuTarAsync(string archive, string gnuTarOptions = "")
    {
        var theirs = _temp.Combine("theirs");
        var ours = _temp.Combine("ours");
        Directory.CreateDirectory(theirs);
        await ShellAsync($"tar -xpf {archive} --numeric-owner {gnuTarOptions} -C theirs");
        await new RamdiskUnpacker(loggerFactory: NullLoggerFactory.Instance).ExtractAsync(_temp.Combine(archive), ours);

        var expected = ByteTreeManifest.Capture(theirs);
        var actual = ByteTreeManifest.Capture(ours);
        actual.Select(e => e with { Blocks = 0 }).Should().BeEquivalentTo(expected.Select(e => e with { Blocks = 0 }), o => o.WithStrictOrdering());
        foreach (var (mine, gnu) in actual.Zip(expected))
        {
            mine.Blocks.Should().BeLessThanOrEqualTo(gnu.Blocks + 8, $"{mine.Shown} keeps its holes as GNU tar does");
        }

        return actual;
    }

    private async Task ShellAsync(string script)
    {
        var result = await ExternalTool.ShellAsync(script, _temp.Path, TimeSpan.FromMinutes(2));
        result.ExitCode.Should().Be(0, result.StandardError);
    }

    private static string Hex(string name) => Convert.ToHexStringLower(System.Text.Encoding.UTF8.GetBytes(name));
}
