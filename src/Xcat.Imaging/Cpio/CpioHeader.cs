using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Text;

namespace Xcat.Imaging.Cpio;

/// <summary>
/// The newc/crc record layout shared by <see cref="CpioWriter"/> and <see cref="CpioReader"/> (xCAT's packimage man page), and the
/// odc layout the reader also reads (POSIX.1-1988 <c>c_magic</c> "070707", GNU cpio's <c>cpiohdr.h</c>).
/// </summary>
internal static class CpioHeader
{
    internal const int Size = 110;

    /// <summary>The odc header: magic, six-digit octal dev, ino, mode, uid, gid, nlink, rdev, 11-digit mtime, six-digit namesize, 11-digit filesize.</summary>
    internal const int OdcSize = 76;
    internal const int MagicLength = 6;
    internal const int FieldCount = 13;

    /// <summary>PATH_MAX: the largest <c>c_namesize</c> (NUL included) the kernel unpacks (xCAT's packimage.pm, archive and compression).</summary>
    internal const int MaxNameSize = 4096;

    /// <summary>The largest symbolic link target: PATH_MAX less the NUL that terminates it on disk.</summary>
    internal const int MaxLinkTargetLength = 4095;

    internal const int Ino = 0;
    internal const int Mode = 1;
    internal const int Uid = 2;
    internal const int Gid = 3;
    internal const int NLink = 4;
    internal const int MTime = 5;
    internal const int FileSize = 6;
    internal const int DevMajor = 7;
    internal const int DevMinor = 8;
    internal const int RDevMajor = 9;
    internal const int RDevMinor = 10;
    internal const int NameSize = 11;
    internal const int Check = 12;

    internal const uint TypeMask = 0xF000;

    private static readonly string[] s_fieldNames =
    [
        "c_ino", "c_mode", "c_uid", "c_gid", "c_nlink", "c_mtime", "c_filesize",
        "c_maj", "c_min", "c_rmaj", "c_rmin", "c_namesize", "c_check",
    ];

    internal static ReadOnlySpan<byte> NewcMagic => "070701"u8;

    internal static ReadOnlySpan<byte> CrcMagic => "070702"u8;

    internal static ReadOnlySpan<byte> OdcMagic => "070707"u8;

    // The old binary format: the octal 070707 as a 16-bit short, in the writer's byte order (GNU cpio's -H bin). Not read, only named.
    internal static ReadOnlySpan<byte> BinaryLittleEndianMagic => [0xC7, 0x71];

    internal static ReadOnlySpan<byte> BinaryBigEndianMagic => [0x71, 0xC7];

    /// <summary>Whether <paramref name="header"/> starts like a cpio archive of any format, the binary ones included.</summary>
    internal static bool HasAnyMagic(ReadOnlySpan<byte> header) =>
        header.StartsWith(NewcMagic) || header.StartsWith(CrcMagic) || header.StartsWith(OdcMagic)
        || header.StartsWith(BinaryLittleEndianMagic) || header.StartsWith(BinaryBigEndianMagic);

    internal static ReadOnlySpan<byte> TrailerName => "TRAILER!!!"u8;

    internal static ReadOnlySpan<byte> Zeros => [0, 0, 0, 0];

    private static ReadOnlySpan<byte> HexDigits => "0123456789ABCDEF"u8;

    /// <summary>The odc fields in header order: name, offset and width in octal digits.</summary>
    private static readonly (string Name, int Offset, int Width)[] s_odcFields =
    [
        ("c_dev", 6, 6), ("c_ino", 12, 6), ("c_mode", 18, 6), ("c_uid", 24, 6), ("c_gid", 30, 6), ("c_nlink", 36, 6),
        ("c_rdev", 42, 6), ("c_mtime", 48, 11), ("c_namesize", 59, 6), ("c_filesize", 65, 11),
    ];

    internal const int OdcDev = 0;
    internal const int OdcIno = 1;
    internal const int OdcMode = 2;
    internal const int OdcUid = 3;
    internal const int OdcGid = 4;
    internal const int OdcNLink = 5;
    internal const int OdcRDev = 6;
    internal const int OdcMTime = 7;
    internal const int OdcNameSize = 8;
    internal const int OdcFileSize = 9;
    internal const int OdcFieldCount = 10;

    internal static string FieldName(int field) => s_fieldNames[field];

    internal static (string Name, int Offset, int Width) OdcField(int field) => s_odcFields[field];

    /// <summary>Parses one odc field: every character an octal digit (at most 11, so it fits 33 bits).</summary>
    internal static bool TryParseOdcField(ReadOnlySpan<byte> header, int field, out long value)
    {
        var (_, offset, width) = s_odcFields[field];
        value = 0;
        foreach (var c in header.Slice(offset, width))
        {
            if (c is < (byte)'0' or > (byte)'7')
            {
                return false;
            }

            value = (value << 3) | (uint)(c - '0');
        }

        return true;
    }

    /// <summary>
    /// Splits an odc device number into major and minor as glibc's <c>major()</c>/<c>minor()</c> do, which is how GNU
    /// cpio and libarchive read it back: the writers store the Linux <c>dev_t</c> cut to 18 bits, so major keeps 10
    /// bits and minor 8 (<c>makedev(8, 1)</c> is 04001).
    /// </summary>
    internal static (uint Major, uint Minor) SplitOdcDevice(long device) => ((uint)((device >> 8) & 0xFFF), (uint)(device & 0xFF));

    /// <summary>Bytes of name plus padding so that header + name is a multiple of 4 (the kernel's <c>N_ALIGN</c>).</summary>
    internal static int PaddedNameSize(int nameSize) => ((Size + nameSize + 3) & ~3) - Size;

    /// <summary>Zero bytes after data of <paramref name="size"/> bytes, up to the next multiple of 4.</summary>
    internal static int DataPadding(long size) => (int)(-size & 3);

    internal static uint TypeBits(CpioEntryType type) => type switch
    {
        CpioEntryType.RegularFile => 0x8000,
        CpioEntryType.Directory => 0x4000,
        CpioEntryType.SymbolicLink => 0xA000,
        CpioEntryType.CharacterDevice => 0x2000,
        CpioEntryType.BlockDevice => 0x6000,
        CpioEntryType.Fifo => 0x1000,
        CpioEntryType.Socket => 0xC000,
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    internal static bool TryGetEntryType(uint mode, out CpioEntryType type)
    {
        switch (mode & TypeMask)
        {
            case 0x8000: type = CpioEntryType.RegularFile; return true;
            case 0x4000: type = CpioEntryType.Directory; return true;
            case 0xA000: type = CpioEntryType.SymbolicLink; return true;
            case 0x2000: type = CpioEntryType.CharacterDevice; return true;
            case 0x6000: type = CpioEntryType.BlockDevice; return true;
            case 0x1000: type = CpioEntryType.Fifo; return true;
            case 0xC000: type = CpioEntryType.Socket; return true;
            default: type = default; return false;
        }
    }

    /// <summary>Writes the 110-byte header: magic, then 13 fields of 8 upper-case hex digits (as GNU cpio and gen_init_cpio do).</summary>
    internal static void Write(Span<byte> destination, CpioFormat format, ReadOnlySpan<uint> fields)
    {
        (format == CpioFormat.Crc ? CrcMagic : NewcMagic).CopyTo(destination);
        for (var i = 0; i < FieldCount; i++)
        {
            var value = fields[i];
            var field = destination.Slice(MagicLength + (8 * i), 8);
            for (var digit = 7; digit >= 0; digit--)
            {
                field[digit] = HexDigits[(int)(value & 0xF)];
                value >>= 4;
            }
        }
    }

    /// <summary>Parses one 8-digit field; upper and lower case are accepted, anything else is not.</summary>
    internal static bool TryParseField(ReadOnlySpan<byte> header, int field, out uint value)
    {
        value = 0;
        foreach (var c in header.Slice(MagicLength + (8 * field), 8))
        {
            uint digit = c switch
            {
                >= (byte)'0' and <= (byte)'9' => (uint)(c - '0'),
                >= (byte)'a' and <= (byte)'f' => (uint)(c - 'a' + 10),
                >= (byte)'A' and <= (byte)'F' => (uint)(c - 'A' + 10),
                _ => uint.MaxValue,
            };
            if (digit == uint.MaxValue)
            {
                return false;
            }

            value = (value << 4) | digit;
        }

        return true;
    }

    /// <summary>Bytes shown in an error message: printable ASCII as is, the rest as <c>\xNN</c>.</summary>
    internal static string Printable(ReadOnlySpan<byte> bytes)
    {
        var builder = new StringBuilder(bytes.Length);
        foreach (var b in bytes)
        {
            if (b is >= 0x20 and < 0x7F)
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append("\\x").Append((char)HexDigits[b >> 4]).Append((char)HexDigits[b & 0xF]);
            }
        }

        return builder.ToString();
    }

    /// <summary>Adds every byte of <paramref name="data"/> to <paramref name="sum"/>, wrapping at 32 bits (the crc rule, xCAT's dracut module, xcatroot).</summary>
    internal static uint Sum(ReadOnlySpan<byte> data, uint sum)
    {
        // psadbw against zero adds each run of 8 bytes into a 64-bit lane, so the lanes cannot overflow.
        var i = 0;
        ref var start = ref MemoryMarshal.GetReference(data);
        if (Avx2.IsSupported && data.Length >= 64)
        {
            var total = Vector256<ulong>.Zero;
            for (; i <= data.Length - 64; i += 64)
            {
                var low = Avx2.SumAbsoluteDifferences(Vector256.LoadUnsafe(ref start, (nuint)i), Vector256<byte>.Zero);
                var high = Avx2.SumAbsoluteDifferences(Vector256.LoadUnsafe(ref start, (nuint)(i + 32)), Vector256<byte>.Zero);
                total = Avx2.Add(total, Avx2.Add(low, high).AsUInt64());
            }

            sum += (uint)Vector256.Sum(total);
        }
        else if (Sse2.IsSupported && data.Length >= 16)
        {
            var total = Vector128<ulong>.Zero;
            for (; i <= data.Length - 16; i += 16)
            {
                total = Sse2.Add(total, Sse2.SumAbsoluteDifferences(Vector128.LoadUnsafe(ref start, (nuint)i), Vector128<byte>.Zero).AsUInt64());
            }

            sum += (uint)Vector128.Sum(total);
        }

        for (; i < data.Length; i++)
        {
            sum += data[i];
        }

        return sum;
    }
}
