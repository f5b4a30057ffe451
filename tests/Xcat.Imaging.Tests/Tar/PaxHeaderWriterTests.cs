using System.Text;
using Xcat.Imaging.Tar;
using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Tests.Tar;

public sealed class PaxHeaderWriterTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    [Trait("Category", "Interop")]
    public async Task Build_BinaryXattrsLongNamesAndBigIds_AreRestoredByGnuTar()
    {
        var capability = new byte[] { 0x01, 0x00, 0x00, 0x02, 0x00, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 };
        var longName = "./" + string.Join('/', Enumerable.Repeat(new string('d', 60), 4)) + "/file-é";
        var content = Encoding.UTF8.GetBytes("hello tar\n");
        var archive = new MemoryStream();
        void Add(TarHeaderFields fields, byte[]? data = null)
        {
            archive.Write(PaxHeaderWriter.Build(fields));
            if (data is not null)
            {
                archive.Write(data);
                archive.Write(new byte[PaxHeaderWriter.Padding(data.Length)]);
            }
        }

        var mtime = new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);
        Add(new TarHeaderFields("./", (byte)'5') { Mode = (UnixFileMode)0b111_101_101, ModificationTime = mtime });
        Add(new TarHeaderFields("./ping", (byte)'0')
        {
            Size = content.Length, Mode = (UnixFileMode)0b111_101_101, Uid = 3_000_000, Gid = 4321, ModificationTime = mtime,
            ExtendedAttributes = new Dictionary<string, byte[]> { ["security.capability"] = capability, ["user.note"] = "a=b\n"u8.ToArray() },
        }, content);
        Add(new TarHeaderFields(longName, (byte)'0') { Size = content.Length, Mode = (UnixFileMode)0b110_100_100, ModificationTime = mtime }, content);
        Add(new TarHeaderFields("./link", (byte)'2') { LinkName = "/" + new string('t', 150), Mode = (UnixFileMode)0b111_111_111, ModificationTime = mtime });
        archive.Write(new byte[2 * PaxHeaderWriter.BlockSize]);
        var tarFile = _temp.Combine("a.tar");
        await File.WriteAllBytesAsync(tarFile, archive.ToArray());
        var dest = _temp.Combine("out");
        Directory.CreateDirectory(dest);

        (await ExternalTool.RunAsync("tar", ["--xattrs", "--xattrs-include=*", "--numeric-owner", "-xpf", tarFile, "-C", dest])).EnsureSuccess();

        (await File.ReadAllBytesAsync(Path.Combine(dest, "ping"))).Should().Equal(content);
        (await File.ReadAllBytesAsync(Path.Combine(dest, longName[2..]))).Should().Equal(content);
        new FileInfo(Path.Combine(dest, "link")).LinkTarget.Should().Be("/" + new string('t', 150));
        var stat = (await ExternalTool.RunAsync("stat", ["-c", "%u %g %a %Y", Path.Combine(dest, "ping")])).EnsureSuccess().Output.Trim();
        stat.Should().Be($"3000000 4321 755 {mtime.ToUnixTimeSeconds()}");
        var xattrs = (await ExternalTool.RunAsync("getfattr", ["-d", "-m", "-", "-e", "hex", Path.Combine(dest, "ping")])).EnsureSuccess().Output;
        xattrs.Should().Contain("security.capability=0x" + Convert.ToHexStringLower(capability)).And.Contain("user.note=0x" + Convert.ToHexStringLower("a=b\n"u8));
        (await ExternalTool.RunAsync("getcap", [Path.Combine(dest, "ping")])).Output.Should().Contain("cap_net_raw");

        var listing = (await ExternalTool.RunAsync("bsdtar", ["-tvf", tarFile])).EnsureSuccess().Output;
        listing.Should().Contain("file-é");
    }

    [Fact]
    public void Build_ChecksumAndFields_MatchUstarLayout()
    {
        var block = PaxHeaderWriter.Build(new TarHeaderFields("./a", (byte)'0') { Size = 10, Mode = (UnixFileMode)0b110_100_100, Uid = 1, Gid = 2 });
        block.Should().HaveCount(512);
        Encoding.ASCII.GetString(block, 0, 3).Should().Be("./a");
        Encoding.ASCII.GetString(block, 100, 8).Should().Be("0000644\0");
        Encoding.ASCII.GetString(block, 124, 12).Should().Be("00000000012\0");
        Encoding.ASCII.GetString(block, 257, 8).Should().Be("ustar\000");
        var stored = Convert.ToInt32(Encoding.ASCII.GetString(block, 148, 6), 8);
        var copy = (byte[])block.Clone();
        "        "u8.CopyTo(copy.AsSpan(148));
        copy.Sum(b => b).Should().Be(stored);
    }
}
