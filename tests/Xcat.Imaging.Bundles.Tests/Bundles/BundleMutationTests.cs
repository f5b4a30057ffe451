using System.IO.Compression;
using System.Text;
using Xunit.Abstractions;
using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Bundles.Tests.Bundles;

/// <summary>
/// Hostile input: a real bundle (tree, kernel, initrd, rootimg archive, list files) whose tar is mutated at random
/// (seeded, so a failure reproduces) — header fields, data bytes, truncation — then gzip-compressed again and imported.
/// Each case either imports or is refused with <see cref="InvalidDataException"/> (or <see cref="IOException"/> itself,
/// the documented refusal of a member that would leave its directory); a refused case leaves the target's
/// catalog, install directory and the directory beside it exactly as they were, and no case ever touches that directory.
/// </summary>
public sealed class BundleMutationTests(ITestOutputHelper output) : IDisposable
{
    private const int Seed = 0xB0D1E;
    private const int Cases = 1000;
    private const int Block = 512;
    private readonly BundleSite _source = new();

    private static readonly string[] s_fieldJunk =
    [
        "../../../outside/x", "/etc/passwd", "..", "", "\0", "7777777", "99999999999", "-1", "\x80\0\0\0\0\0\0\x01",
        "rootimg/../../..", "x/../../y", "0000000\0", "\n", "SHA256SUMS", "manifest.xml",
    ];

    // ustar field offsets and lengths that matter: name, mode, uid, gid, size, mtime, checksum, type, linkname, prefix.
    private static readonly (int Offset, int Length)[] s_fields =
        [(0, 100), (100, 8), (108, 8), (116, 8), (124, 12), (136, 12), (148, 8), (156, 1), (157, 100), (345, 155)];

    [Fact]
    public async Task ImportAsync_MutatedBundles_ImportOrRefuseWithNothingChanged()
    {
        await _source.DefineNetbootImageAsync(withTree: true);
        var bundlePath = _source.Path("base.tgz");
        await _source.Exporter().ExportAsync(BundleSite.Image, bundlePath, new ImageExportOptions { IncludeRootImageTree = true });
        var tar = Gunzip(File.ReadAllBytes(bundlePath));
        var headers = HeaderOffsets(tar);
        headers.Should().HaveCountGreaterThan(10);

        // The unmutated bundle imports: the harness itself is sound.
        (await ImportCaseAsync(Gzip(tar))).Should().Be("imported");

        var random = new Random(Seed);
        var outcomes = new Dictionary<string, int>();
        var failures = new List<string>();
        for (var i = 0; i < Cases; i++)
        {
            var (mutated, what) = Mutate(tar, headers, random);
            string outcome;
            try
            {
                outcome = await ImportCaseAsync(Gzip(mutated));
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                outcome = $"unexpected {e.GetType().Name}";
                failures.Add($"case {i} ({what}): {e.GetType().Name}: {e.Message}");
            }
            catch (Xunit.Sdk.XunitException e)
            {
                outcome = "changed";
                failures.Add($"case {i} ({what}): {e.Message}");
            }

            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        output.WriteLine(string.Join(", ", outcomes.OrderBy(static o => o.Key).Select(static o => $"{o.Key}: {o.Value}")));
        failures.Should().BeEmpty(string.Join("\n", failures));
        outcomes.GetValueOrDefault("refused").Should().BeGreaterThan(Cases / 4, "most mutations break the bundle");
    }

    /// <summary>Imports into a fresh site; returns "imported" or "refused", and asserts what either may change.</summary>
    private static async Task<string> ImportCaseAsync(byte[] bundle)
    {
        using var target = new BundleSite();
        var outside = OutsideSnapshot(target);
        var before = await target.SnapshotAsync();
        try
        {
            await target.Importer().ImportAsync(new MemoryStream(bundle));
            OutsideSnapshot(target).Should().Be(outside, "an import writes only inside its install directory");
            return "imported";
        }
        catch (Exception e) when (e is InvalidDataException || e.GetType() == typeof(IOException))
        {
            // InvalidDataException: corrupt or hostile; IOException (exactly): a member would leave its directory.
            e.Message.Should().NotBeNullOrWhiteSpace();
            (await target.SnapshotAsync()).Should().Be(before, "a refused import changes nothing: {0}", e.Message);
            OutsideSnapshot(target).Should().Be(outside);
            return "refused";
        }
    }

    /// <summary>Everything in the site's root except the install directory: names, types, link targets and contents.</summary>
    private static string OutsideSnapshot(BundleSite site)
    {
        var text = new StringBuilder();
        foreach (var path in Directory.EnumerateFileSystemEntries(site.Root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            if (path.StartsWith(site.InstallDirectory + "/", StringComparison.Ordinal) || path == site.InstallDirectory)
            {
                continue;
            }

            var info = new FileInfo(path);
            text.Append(path).Append(' ').Append(info.LinkTarget ?? (File.Exists(path) ? Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path))) : "dir")).Append('\n');
        }

        return text.ToString();
    }

    private static (byte[] Bytes, string What) Mutate(byte[] tar, List<int> headers, Random random)
    {
        var bytes = (byte[])tar.Clone();
        var kind = random.Next(10);
        if (kind == 0)
        {
            var length = random.Next(bytes.Length);
            return (bytes[..length], $"truncated at {length}");
        }

        if (kind == 1)
        {
            var at = random.Next(bytes.Length);
            bytes[at] ^= (byte)(1 << random.Next(8));
            return (bytes, $"bit flip at {at}");
        }

        var header = headers[random.Next(headers.Count)];
        var (offset, fieldLength) = s_fields[random.Next(s_fields.Length)];
        var junk = Encoding.Latin1.GetBytes(s_fieldJunk[random.Next(s_fieldJunk.Length)]);
        var field = bytes.AsSpan(header + offset, fieldLength);
        field.Clear();
        junk.AsSpan(0, Math.Min(junk.Length, fieldLength)).CopyTo(field);
        if (random.Next(3) != 0)
        {
            RawTar.SetChecksum(bytes.AsSpan(header, Block)); // most cases get past the checksum, to reach the field's meaning
        }

        return (bytes, $"header {header} field {offset} = '{Encoding.Latin1.GetString(junk)}'");
    }

    /// <summary>Offsets of every header block, following each member's size (PAX headers included).</summary>
    private static List<int> HeaderOffsets(byte[] tar)
    {
        var offsets = new List<int>();
        var at = 0;
        while (at + Block <= tar.Length && tar.AsSpan(at, Block).ContainsAnyExcept((byte)0))
        {
            offsets.Add(at);
            var size = Convert.ToInt64(Encoding.ASCII.GetString(tar, at + 124, 11).Trim('\0', ' '), 8);
            at += Block + (int)((size + Block - 1) / Block * Block);
        }

        return offsets;
    }

    private static byte[] Gunzip(byte[] gzip)
    {
        using var input = new GZipStream(new MemoryStream(gzip), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    public void Dispose() => _source.Dispose();
}
