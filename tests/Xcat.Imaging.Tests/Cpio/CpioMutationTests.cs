using Xunit.Abstractions;
using Xcat.Imaging.Cpio;
using Xcat.Imaging.TestKit;
using static Xcat.Imaging.Tests.Cpio.CpioTestArchives;

namespace Xcat.Imaging.Tests.Cpio;

/// <summary>
/// Hostile input: valid archives cut at every length and mutated at random (seeded, so a failure reproduces). Each
/// case must either read to the end or throw <see cref="InvalidDataException"/>: never another exception, never a hang.
/// </summary>
public sealed class CpioMutationTests(ITestOutputHelper output)
{
    private const int Seed = 0x0C910;
    private const int RandomCases = 12_000;

    private static readonly string[] s_fieldJunk =
    [
        "FFFFFFFF", "7FFFFFFF", "80000000", "00001000", "00001001", "00000000", "00000001", "0000FFFF", "000041ED",
        "0000A1FF", "000081A4", "00002000", "-0000001", "0x000010", "        ", "\0\0\0\0\0\0\0\0", "0000000g", "ffffffff",
    ];

    private static readonly byte[] s_interestingBytes = [(byte)'0', 0, 0xFF, (byte)'F', (byte)'g', (byte)'7', (byte)'\n'];

    private static readonly string s_junkCharacters = "0123456789abcdefABCDEFxyz \0-+!";

    /// <summary>Small archives covering every entry type, hard links with data first and last, devices, and concatenation.</summary>
    private static List<(string Name, byte[] Bytes)> BaseArchives()
    {
        List<CpioEntry> Compact()
        {
            var entries = new List<CpioEntry> { Entry(CpioEntryType.Directory, ".", 1), Entry(CpioEntryType.Directory, "d", 2) };
            for (var i = 0; i < 6; i++)
            {
                entries.Add(FileEntry($"d/{new string('f', i + 1)}", Bytes(i * 3, i), (uint)(10 + i)));
            }

            entries.Add(FileEntry("d/last-1", [], 20, linkCount: 2));
            entries.Add(FileEntry("d/last-2", Bytes(5, 20), 20, linkCount: 2));
            entries.Add(FileEntry("d/first-1", Bytes(7, 21), 21, linkCount: 2));
            entries.Add(FileEntry("d/first-2", [], 21, linkCount: 2));
            var symlink = Entry(CpioEntryType.SymbolicLink, "d/sym", 22);
            symlink.LinkTarget = "f";
            entries.Add(symlink);
            var chr = Entry(CpioEntryType.CharacterDevice, "d/console", 23);
            chr.DeviceMajor = TestCharMajor;
            chr.DeviceMinor = TestCharMinor;
            entries.Add(chr);
            var blk = Entry(CpioEntryType.BlockDevice, "d/blk", 24);
            blk.DeviceMajor = TestBlockMajor;
            blk.DeviceMinor = TestBlockMinor;
            entries.Add(blk);
            entries.Add(Entry(CpioEntryType.Fifo, "d/fifo", 25));
            entries.Add(Entry(CpioEntryType.Socket, "d/sock", 26));
            return entries;
        }

        var newc = Write(Compact());
        var crc = Write(Compact(), CpioFormat.Crc, trailerPadding: false);
        return
        [
            ("newc", newc),
            ("crc", crc),
            ("concatenated", [.. Write(Compact(), trailerPadding: false), 0, 0, 0, 0, 0, 0, 0, 0, .. crc]),
        ];
    }

    [Fact]
    public async Task GetNextEntry_MutatedArchives_ReadOrThrowInvalidDataException()
    {
        var random = new Random(Seed);
        var failures = new List<string>();
        var outcomes = new Dictionary<string, int> { ["read"] = 0, ["invalid"] = 0 };
        var cases = 0;
        var bases = BaseArchives();
        foreach (var (name, archive) in bases)
        {
            ReadAll(archive).Should().NotBeEmpty(name); // the bases themselves are valid
            for (var length = 0; length < archive.Length; length++)
            {
                await CheckAsync(archive[..length], $"{name} cut at {length}", cases++);
            }
        }

        for (var i = 0; i < RandomCases; i++)
        {
            var (name, archive) = bases[random.Next(bases.Count)];
            var (mutated, description) = Mutate(archive, random);
            await CheckAsync(mutated, $"{name} {description}", cases++);
        }

        output.WriteLine($"{cases} cases: {outcomes["read"]} read, {outcomes["invalid"]} InvalidDataException, {failures.Count} other");
        failures.Should().BeEmpty();
        cases.Should().BeGreaterThanOrEqualTo(10_000);
        outcomes["read"].Should().BePositive();
        outcomes["invalid"].Should().BePositive();

        async Task CheckAsync(byte[] bytes, string description, int index)
        {
            try
            {
                await ReadEverythingAsync(bytes, index);
                outcomes["read"]++;
            }
            catch (InvalidDataException)
            {
                outcomes["invalid"]++;
            }
            catch (Exception exception)
            {
                failures.Add($"case {index} ({description}): {exception.GetType().Name}: {exception.Message}");
            }
        }
    }

    [Fact]
    [Trait("Category", "Interop")]
    public async Task Unpack_MutatedArchives_ExtractOrRefuseInsideTheDestination()
    {
        var random = new Random(Seed + 1);
        var bases = BaseArchives();
        IEnumerable<(byte[], string)> Cases()
        {
            for (var i = 0; i < 400; i++)
            {
                var (name, archive) = bases[random.Next(bases.Count)];
                var (mutated, description) = Mutate(archive, random);
                yield return (mutated, $"{name} {description}");
            }
        }

        (await HostileUnpack.AssertConfinedAsync(Cases())).Should().BePositive();
    }

    /// <summary>Reads every entry, varying the way it is read by case: sync/async, seekable or not, data copied, read or skipped.</summary>
    private static async Task ReadEverythingAsync(byte[] bytes, int index)
    {
        var async = index % 4 == 1;
        var copyData = index % 3 == 0;
        var readData = index % 5 != 0;
        Stream stream = index % 2 == 0 ? new MemoryStream(bytes) : new NonSeekableStream(new MemoryStream(bytes), maxReadSize: 1 + (index % 13));
        using var reader = new CpioReader(stream);
        var buffer = new byte[64];
        while (await NextAsync(reader, async, copyData) is { } entry)
        {
            _ = entry.Name.Length + entry.Length + entry.RawMode;
            if (readData && entry.DataStream is { } data)
            {
                while ((async ? await data.ReadAsync(buffer) : data.Read(buffer)) > 0)
                {
                }
            }
        }
    }

    private static (byte[] Bytes, string Description) Mutate(byte[] archive, Random random)
    {
        var bytes = archive.ToList();
        var position = random.Next(bytes.Count);
        switch (random.Next(8))
        {
            case 0:
                var flips = random.Next(1, 5);
                for (var i = 0; i < flips; i++)
                {
                    bytes[random.Next(bytes.Count)] ^= (byte)random.Next(1, 256);
                }

                return ([.. bytes], $"{flips} bytes flipped");
            case 1:
                var value = s_interestingBytes[random.Next(s_interestingBytes.Length)];
                bytes[position] = value;
                return ([.. bytes], $"byte {position} set to 0x{value:X2}");
            case 2:
                var insert = new byte[random.Next(1, 9)];
                if (random.Next(2) == 0)
                {
                    random.NextBytes(insert);
                }

                bytes.InsertRange(position, insert);
                return ([.. bytes], $"{insert.Length} bytes inserted at {position}");
            case 3:
                var count = Math.Min(random.Next(1, 9), bytes.Count - position);
                bytes.RemoveRange(position, count);
                return ([.. bytes], $"{count} bytes deleted at {position}");
            case 4:
            case 5:
                var headers = HeaderOffsets(archive);
                var header = headers[random.Next(headers.Count)];
                var field = random.Next(13);
                var junk = random.Next(3) switch
                {
                    0 => s_fieldJunk[random.Next(s_fieldJunk.Length)],
                    1 => ((uint)random.NextInt64(0, 1L << 32)).ToString("X8"),
                    _ => new string(Enumerable.Range(0, 8).Select(_ => s_junkCharacters[random.Next(s_junkCharacters.Length)]).ToArray()),
                };
                var at = header + 6 + (8 * field);
                for (var i = 0; i < 8; i++)
                {
                    bytes[at + i] = (byte)junk[i];
                }

                return ([.. bytes], $"field {field} of the header at {header} set to '{junk.Replace("\0", "\\0", StringComparison.Ordinal)}'");
            case 6:
                var length = random.Next(1, 200);
                var from = random.Next(bytes.Count);
                var chunk = bytes.Skip(from).Take(length).ToArray();
                bytes.InsertRange(position, chunk);
                return ([.. bytes], $"{chunk.Length} bytes from {from} copied to {position}");
            default:
                var tail = new byte[random.Next(0, 16)];
                random.NextBytes(tail);
                return ([.. bytes.Take(position), .. tail], $"cut at {position} and {tail.Length} random bytes appended");
        }
    }

    private static List<int> HeaderOffsets(byte[] archive)
    {
        var offsets = new List<int>();
        for (var i = 0; i + 110 <= archive.Length; i += 4)
        {
            if (archive.AsSpan(i, 5).SequenceEqual("07070"u8))
            {
                offsets.Add(i);
            }
        }

        return offsets;
    }
}
