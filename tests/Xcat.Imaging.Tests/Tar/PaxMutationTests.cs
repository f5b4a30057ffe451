using System.Globalization;
using System.Text;
using Xunit.Abstractions;
using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Tests.Tar;

/// <summary>
/// Hostile tar input at random (seeded, so a failure reproduces): PAX records with lengths, keywords and values
/// mutated, header fields set to junk, bytes flipped, inserted and cut. Each case must either read to the end or throw
/// <see cref="InvalidDataException"/> with a one-line message that names the member or the offset: never another
/// exception, never a hang.
/// </summary>
public sealed class PaxMutationTests(ITestOutputHelper output)
{
    private const int Seed = 0x7A9;
    private const int RandomCases = 12_000;
    private const int ExtractedCases = 400;

    private static readonly string[] s_keywords =
    [
        "size", "uid", "gid", "mtime", "atime", "ctime", "path", "linkpath", "uname", "gname", "SCHILY.devmajor", "SCHILY.devminor",
        "GNU.sparse.size", "GNU.sparse.major", "GNU.sparse.map", "SCHILY.xattr.", "SCHILY.xattr.user.x", "SCHILY.xattr.security.capability",
        "", "=", "size ", " uid", "hdrcharset", "comment",
    ];

    private static readonly string[] s_values =
    [
        "", "0", "-0", "-1", "1", "7", "1e400", "NaN", "Infinity", "99999999999999999999", "18446744073709551616", "4294967295", "4294967296",
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "0x10", " 12", "12 ", "1.5", "-1.5", "1.", ".5", "--1", "+1",
        "1,5", "253402300799", "253402300800", "-62135596800", "-62135596801", "\0", "\n", "a\nb", "\u001b[2J", "../../etc/passwd", "/abs",
        "٣", "１", new string('9', 40), new string('a', 5000),
    ];

    private static readonly string[] s_lengths =
    [
        "0", "1", "-1", "x", "", " ", "99999999999999999999", "2147483647", "2147483648", "4294967296", "9223372036854775807", "00000000000000000001",
    ];

    private static readonly string[] s_fieldJunk =
    [
        "", "77777777777", "777777777777", "99", "-1", "0x1F", " 1 2", "\u0080", "\u00FF\u00FF\u00FF\u00FF\u00FF\u00FF\u00FF\u00FF",
        "\u0080\u00FF\u00FF\u00FF\u00FF\u00FF\u00FF\u00FF\u00FF\u00FF\u00FF\u00FF", "\u0080\0\0\0\0\0\0\u0001", "1234567", "\n",
    ];

    private static readonly (int Offset, int Length)[] s_numericFields = [(100, 8), (108, 8), (116, 8), (124, 12), (136, 12), (329, 8), (337, 8)];

    private static readonly char[] s_types = ['0', '1', '2', '3', '4', '5', '6', '7', 'x', 'g', 'L', 'K', 'S', 'V', '\0', '\u001b'];

    [Fact]
    public async Task Read_MutatedPaxArchives_ReadOrThrowInvalidDataExceptionNamingTheMember()
    {
        var random = new Random(Seed);
        var failures = new List<string>();
        var outcomes = new Dictionary<string, int> { ["read"] = 0, ["invalid"] = 0 };
        var bases = BaseArchives();
        var cases = 0;
        foreach (var model in bases)
        {
            var bytes = Serialize(model);
            (await PaxTreeReaderTests.ReadAllAsync(bytes)).Should().HaveCount(model.Count);
            for (var length = 0; length < bytes.Length; length += 37)
            {
                await CheckAsync(bytes[..length], $"cut at {length}");
            }
        }

        for (var i = 0; i < RandomCases; i++)
        {
            var (bytes, description) = Mutate(bases[random.Next(bases.Count)], random);
            await CheckAsync(bytes, description);
        }

        output.WriteLine($"{cases} cases: {outcomes["read"]} read, {outcomes["invalid"]} InvalidDataException, {failures.Count} failures");
        failures.Should().BeEmpty();
        outcomes["read"].Should().BePositive();
        outcomes["invalid"].Should().BeGreaterThan(RandomCases / 4);

        async Task CheckAsync(byte[] bytes, string description)
        {
            var index = cases++;
            try
            {
                var read = PaxTreeReaderTests.ReadAllAsync(bytes);
                if (await Task.WhenAny(read, Task.Delay(TimeSpan.FromSeconds(10))) != read)
                {
                    failures.Add($"case {index} ({description}): no answer in 10 s");
                    return;
                }

                await read;
                outcomes["read"]++;
            }
            catch (InvalidDataException exception)
            {
                outcomes["invalid"]++;
                if (!IsClear(exception.Message))
                {
                    failures.Add($"case {index} ({description}): unclear message: {DisplayText.Escape(exception.Message)}");
                }
            }
            catch (Exception exception)
            {
                failures.Add($"case {index} ({description}): {exception.GetType().Name}: {DisplayText.Escape(exception.Message)}");
            }
        }
    }

    [Fact]
    [Trait("Category", "Interop")]
    public async Task Unpack_MutatedPaxArchives_ExtractOrRefuseInsideTheDestination()
    {
        var random = new Random(Seed + 1);
        var bases = BaseArchives();
        IEnumerable<(byte[], string)> Cases()
        {
            for (var i = 0; i < ExtractedCases; i++)
            {
                yield return Mutate(bases[random.Next(bases.Count)], random);
            }
        }

        (await HostileUnpack.AssertConfinedAsync(Cases(), new Imaging.Trees.TreeExtractionOptions { PreserveOwnership = false })).Should().BePositive();
    }

    private static bool IsClear(string message)
        => !message.AsSpan().ContainsAny("\n\r\u001b\0") && (message.Contains("offset", StringComparison.Ordinal) || message.Contains('\'', StringComparison.Ordinal));

    /// <summary>Archives as models: members with PAX records (keyword, value, length text or null for the true length).</summary>
    private static List<List<Member>> BaseArchives()
    {
        var capability = new byte[] { 1, 0, 0, 2, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
        List<Member> Tree() =>
        [
            new("./", '5', []),
            new("./etc/", '5', [], [new("mtime", "1700000000.5"), new("uid", "70000")]),
            new("./etc/passwd", '0', Encoding.UTF8.GetBytes("root:x:0:0\n"), [new("size", "11"), new("SCHILY.xattr.user.a", "b")]),
            new("./etc/x", '0', new byte[700], [new("path", "./etc/" + new string('l', 120)), new("SCHILY.xattr.security.capability", capability)]),
            new("./etc/sym", '2', [], [new("linkpath", "/" + new string('t', 150))]) { LinkName = "x" },
            new("./etc/hard", '1', [], []) { LinkName = "./etc/passwd" },
            new("./dev/", '5', []),
            new("./dev/null", '3', [], [new("SCHILY.devmajor", "1"), new("SCHILY.devminor", "3")]),
            new("./dev/fifo", '6', [], [new("gid", "4294967295"), new("atime", "-1.25"), new("ctime", "1")]),
        ];

        return [Tree(), [.. Tree().Where(static m => m.Pax.Count > 0)], [new("./a", '0', "abc"u8.ToArray(), [new("size", "3"), new("mtime", "0"), new("path", "./b")])]];
    }

    private static (byte[] Bytes, string Description) Mutate(List<Member> model, Random random)
    {
        var members = model.Select(static m => m with { Pax = [.. m.Pax] }).ToList();
        var withPax = members.Where(static m => m.Pax.Count > 0).ToList();
        var member = withPax.Count > 0 && random.Next(4) != 0 ? withPax[random.Next(withPax.Count)] : members[random.Next(members.Count)];
        var index = members.IndexOf(member);
        switch (random.Next(10))
        {
            case 0 when member.Pax.Count > 0:
            {
                var r = random.Next(member.Pax.Count);
                var length = random.Next(2) == 0 ? s_lengths[random.Next(s_lengths.Length)] : (member.Pax[r].TrueLength + random.Next(-12, 13)).ToString(CultureInfo.InvariantCulture);
                member.Pax[r] = member.Pax[r] with { Length = length };
                return (Serialize(members), $"{member.Name}: length of record {r} set to '{length}'");
            }

            case 1 when member.Pax.Count > 0:
            {
                var r = random.Next(member.Pax.Count);
                var keyword = s_keywords[random.Next(s_keywords.Length)];
                member.Pax[r] = member.Pax[r] with { Keyword = keyword, Length = random.Next(3) == 0 ? member.Pax[r].Length : null };
                return (Serialize(members), $"{member.Name}: keyword of record {r} set to '{keyword}'");
            }

            case 2:
            case 3:
            {
                var keyword = s_keywords[random.Next(s_keywords.Length)];
                var value = s_values[random.Next(s_values.Length)];
                member.Pax.Insert(random.Next(member.Pax.Count + 1), new Record(keyword, value));
                return (Serialize(members), $"{member.Name}: record {keyword}={DisplayText.Escape(value)} added");
            }

            case 4 when member.Pax.Count > 0:
            {
                var r = random.Next(member.Pax.Count);
                var value = random.Next(4) == 0 ? RandomBytes(random, random.Next(0, 12)) : Encoding.UTF8.GetBytes(s_values[random.Next(s_values.Length)]);
                member.Pax[r] = member.Pax[r] with { Value = value, Length = random.Next(4) == 0 ? member.Pax[r].Length : null };
                return (Serialize(members), $"{member.Name}: value of record {r} ({member.Pax[r].Keyword}) set to {Convert.ToHexString(value)}");
            }

            case 5 when member.Pax.Count > 0:
            {
                // Bytes of the PAX data flipped, inserted or cut, the header's size kept or not.
                var data = PaxData(member).ToList();
                var at = random.Next(data.Count);
                var what = random.Next(3);
                if (what == 0)
                {
                    data[at] ^= (byte)random.Next(1, 256);
                }
                else if (what == 1)
                {
                    data.InsertRange(at, RandomBytes(random, random.Next(1, 9)));
                }
                else
                {
                    data.RemoveRange(at, Math.Min(data.Count - at, random.Next(1, 9)));
                }

                members[index] = member with { RawPax = [.. data], PaxSize = random.Next(2) == 0 ? PaxData(member).Length : null };
                return (Serialize(members), $"{member.Name}: PAX data mutated ({what}) at {at}");
            }

            case 6:
            {
                var (offset, length) = s_numericFields[random.Next(s_numericFields.Length)];
                var junk = random.Next(3) == 0 ? Encoding.Latin1.GetString(RandomBytes(random, length)) : s_fieldJunk[random.Next(s_fieldJunk.Length)];
                members[index] = member with { Patch = h => RawTar.Field(h, offset, length, junk) };
                return (Serialize(members), $"{member.Name}: field at {offset} set to {Convert.ToHexString(Encoding.Latin1.GetBytes(junk))}");
            }

            case 7:
            {
                var type = s_types[random.Next(s_types.Length)];
                members[index] = member with { Type = type };
                return (Serialize(members), $"{member.Name}: type set to 0x{(int)type:X2}");
            }

            default:
            {
                var bytes = Serialize(members).ToList();
                var at = random.Next(bytes.Count);
                switch (random.Next(3))
                {
                    case 0:
                        bytes[at] ^= (byte)random.Next(1, 256);
                        break;
                    case 1:
                        bytes.InsertRange(at, RandomBytes(random, random.Next(1, 600)));
                        break;
                    default:
                        bytes.RemoveRange(at, Math.Min(bytes.Count - at, random.Next(1, 600)));
                        break;
                }

                return ([.. bytes], $"bytes mutated at {at}");
            }
        }
    }

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] PaxData(Member member) => member.RawPax ?? [.. member.Pax.SelectMany(static r => r.Bytes)];

    private static byte[] Serialize(List<Member> members)
    {
        var tar = new RawTar();
        foreach (var member in members)
        {
            if (member.Pax.Count > 0 || member.RawPax is not null)
            {
                var data = PaxData(member);
                tar.Entry("./PaxHeaders/" + member.Name.TrimEnd('/').Split('/')[^1], 'x', data, size: member.PaxSize ?? data.Length);
            }

            tar.Entry(member.Name, member.Type, member.Data, mode: member.Type == '5' ? 493 : 420, linkName: member.LinkName, deviceMajor: 1, deviceMinor: 3,
                patch: member.Patch);
        }

        return tar.ToArray();
    }

    private sealed record Record(string Keyword, byte[] Value, string? Length = null)
    {
        public Record(string keyword, string value)
            : this(keyword, Encoding.UTF8.GetBytes(value))
        {
        }

        public int TrueLength => RawTar.Record(Keyword, Value).Length;

        public byte[] Bytes => Length is null
            ? RawTar.Record(Keyword, Value)
            : [.. Encoding.Latin1.GetBytes(Length + " " + Keyword + "="), .. Value, (byte)'\n'];
    }

    private sealed record Member(string Name, char Type, byte[] Data, List<Record> Pax)
    {
        public Member(string name, char type, byte[] data)
            : this(name, type, data, [])
        {
        }

        public string LinkName { get; init; } = string.Empty;

        public byte[]? RawPax { get; init; }

        public long? PaxSize { get; init; }

        public Action<byte[]>? Patch { get; init; }
    }
}
