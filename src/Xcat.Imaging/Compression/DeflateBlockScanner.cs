using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Xcat.Imaging.Compression;

/// <summary>
/// Walks the blocks of a raw deflate stream (RFC 1951) without producing output: stored blocks are skipped by their
/// length, Huffman blocks are decoded symbol by symbol (extra bits skipped) to their end-of-block code. It finds where
/// the final block's header starts and where that block ends, to the bit, so a whole-buffer deflate can be made
/// non-final and followed by more blocks in the same stream.
/// </summary>
internal static class DeflateBlockScanner
{
    private const int TableBits = 10;
    private const int MaxCodeLength = 15;
    private const int LiteralLengthCodes = 288;
    private const int DistanceCodes = 32;
    private const int EndOfBlock = 256;

    // Table entry: bits 0-4 the bits consumed (code plus extra), bits 8-9 the kind. 0 marks no code.
    private const int KindLiteral = 0;
    private const int KindLength = 1 << 8;
    private const int KindEnd = 2 << 8;
    private const int KindLong = 3 << 8;

    private static readonly byte[] LengthExtra =
        [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0, 0, 0];

    private static readonly byte[] DistanceExtra =
        [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13, 0, 0];

    private static readonly byte[] CodeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

    /// <summary>Finds the final block of <paramref name="data"/>.</summary>
    /// <param name="data">A complete raw deflate stream.</param>
    /// <returns>The bit offset of the final block's header (its BFINAL bit) and the bit offset just after that block.</returns>
    /// <exception cref="InvalidDataException">The data is not a complete, valid deflate stream.</exception>
    public static (long FinalHeaderBit, long EndBit) FindFinalBlock(ReadOnlySpan<byte> data)
    {
        var reader = new BitReader(data);
        var tables = new Tables();
        while (true)
        {
            var header = reader.Position;
            reader.Refill();
            var final = reader.Take(1) == 1;
            var type = (int)reader.Take(2);
            switch (type)
            {
                case 0:
                    reader.AlignToByte();
                    reader.Refill();
                    var length = (int)reader.Take(16);
                    var inverse = (int)reader.Take(16);
                    if ((length ^ 0xffff) != inverse)
                    {
                        throw new InvalidDataException("Stored block length does not match its complement.");
                    }

                    reader.SkipBytes(length);
                    break;
                case 1:
                    tables.BuildFixed();
                    SkipSymbols(ref reader, tables);
                    break;
                case 2:
                    tables.ReadDynamic(ref reader);
                    SkipSymbols(ref reader, tables);
                    break;
                default:
                    throw new InvalidDataException("Reserved deflate block type 3.");
            }

            reader.CheckNotOverrun();
            if (final)
            {
                return (header, reader.Position);
            }
        }
    }

    private static void SkipSymbols(ref BitReader reader, Tables tables)
    {
        var literal = tables.LiteralLength;
        var distance = tables.Distance;
        while (true)
        {
            // 15 + 5 bits of length and 15 + 13 of distance: one refill covers a whole match.
            reader.Refill();
            var entry = literal[(int)reader.Peek(TableBits)];
            if ((entry & KindLong) == KindLong)
            {
                entry = tables.DecodeLong(ref reader, literal: true);
            }
            else if (entry == 0)
            {
                throw new InvalidDataException("Invalid literal/length code.");
            }

            reader.Skip(entry & 31);
            var kind = entry & KindLong;
            if (kind == KindLiteral)
            {
                // Zero bits past the end decode as symbols too: stop at the first one read.
                reader.CheckNotOverrun();
                continue;
            }

            if (kind == KindEnd)
            {
                return;
            }

            var d = distance[(int)reader.Peek(TableBits)];
            if ((d & KindLong) == KindLong)
            {
                d = tables.DecodeLong(ref reader, literal: false);
            }
            else if (d == 0)
            {
                throw new InvalidDataException("Invalid distance code.");
            }

            reader.Skip(d & 31);
            reader.CheckNotOverrun();
        }
    }

    private ref struct BitReader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private ulong _buffer;
        private int _count;
        private int _next;
        private long _padding;

        public readonly long Position => ((long)_next * 8) - _count;

        public readonly bool Overrun => _padding > _count;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Refill()
        {
            if (_next + 8 <= _data.Length)
            {
                _buffer |= BinaryPrimitives.ReadUInt64LittleEndian(_data[_next..]) << _count;
                _next += (63 - _count) >> 3;
                _count |= 56;
                return;
            }

            while (_count <= 56)
            {
                if (_next < _data.Length)
                {
                    _buffer |= (ulong)_data[_next++] << _count;
                }
                else
                {
                    // Past the end: zero bits, counted so that reading into them is detected.
                    _next++;
                    _padding += 8;
                }

                _count += 8;
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly uint Peek(int bits) => (uint)(_buffer & ((1UL << bits) - 1));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Skip(int bits)
        {
            _buffer >>= bits;
            _count -= bits;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public uint Take(int bits)
        {
            var value = Peek(bits);
            Skip(bits);
            return value;
        }

        public void AlignToByte() => Skip(_count & 7);

        public void SkipBytes(int count)
        {
            // Drop what is buffered (byte-aligned here), then move the byte cursor.
            var buffered = _count >> 3;
            if (count < buffered)
            {
                Skip(count * 8);
            }
            else
            {
                // The buffer is used up (a shift by 64 would be a shift by 0): restart it after the skipped bytes.
                count -= buffered;
                _buffer = 0;
                _count = 0;
                _next += count;
                if (_next > _data.Length)
                {
                    throw new InvalidDataException("The deflate stream is truncated.");
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly void CheckNotOverrun()
        {
            if (Overrun)
            {
                ThrowTruncated();
            }
        }

        [DoesNotReturn]
        private static void ThrowTruncated() => throw new InvalidDataException("The deflate stream is truncated.");
    }

    /// <summary>Decoding tables of one block, reused from block to block.</summary>
    private sealed class Tables
    {
        private readonly byte[] _lengths = new byte[LiteralLengthCodes + DistanceCodes];
        private readonly byte[] _literalLengths = new byte[LiteralLengthCodes];
        private readonly byte[] _distanceLengths = new byte[DistanceCodes];
        private readonly ushort[] _count = new ushort[MaxCodeLength + 1];
        private readonly ushort[] _offsets = new ushort[MaxCodeLength + 2];
        private readonly ushort[] _literalSorted = new ushort[LiteralLengthCodes];
        private readonly ushort[] _distanceSorted = new ushort[DistanceCodes];
        private readonly ushort[] _literalCount = new ushort[MaxCodeLength + 1];
        private readonly ushort[] _distanceCount = new ushort[MaxCodeLength + 1];
        private readonly int[] _codeLengthTable = new int[1 << 7];
        private bool _fixed;

        public int[] LiteralLength { get; } = new int[1 << TableBits];

        public int[] Distance { get; } = new int[1 << TableBits];

        public void BuildFixed()
        {
            if (_fixed)
            {
                return;
            }

            var lengths = _literalLengths.AsSpan();
            lengths[..144].Fill(8);
            lengths[144..256].Fill(9);
            lengths[256..280].Fill(7);
            lengths[280..].Fill(8);
            _distanceLengths.AsSpan().Fill(5);
            Build(_literalLengths, LiteralLength, _literalSorted, _literalCount, literal: true);
            Build(_distanceLengths, Distance, _distanceSorted, _distanceCount, literal: false);
            _fixed = true;
        }

        public void ReadDynamic(ref BitReader reader)
        {
            _fixed = false;
            reader.Refill();
            var literals = (int)reader.Take(5) + 257;
            var distances = (int)reader.Take(5) + 1;
            var codeLengthCodes = (int)reader.Take(4) + 4;
            if (literals > 286 || distances > 30)
            {
                throw new InvalidDataException("Too many literal/length or distance codes.");
            }

            Span<byte> codeLengthLengths = stackalloc byte[19];
            codeLengthLengths.Clear();
            for (var i = 0; i < codeLengthCodes; i++)
            {
                reader.Refill();
                codeLengthLengths[CodeLengthOrder[i]] = (byte)reader.Take(3);
            }

            BuildSimple(codeLengthLengths, _codeLengthTable, 7);
            var total = literals + distances;
            var lengths = _lengths.AsSpan(0, total);
            var index = 0;
            while (index < total)
            {
                reader.Refill();
                var entry = _codeLengthTable[(int)reader.Peek(7)];
                if (entry == 0)
                {
                    throw new InvalidDataException("Invalid code length code.");
                }

                reader.Skip(entry & 31);
                var symbol = entry >> 8;
                int repeat;
                byte value;
                switch (symbol)
                {
                    case < 16:
                        lengths[index++] = (byte)symbol;
                        continue;
                    case 16:
                        if (index == 0)
                        {
                            throw new InvalidDataException("Code length repeat with no previous length.");
                        }

                        value = lengths[index - 1];
                        repeat = 3 + (int)reader.Take(2);
                        break;
                    case 17:
                        value = 0;
                        repeat = 3 + (int)reader.Take(3);
                        break;
                    default:
                        value = 0;
                        repeat = 11 + (int)reader.Take(7);
                        break;
                }

                if (index + repeat > total)
                {
                    throw new InvalidDataException("Code lengths overflow the table.");
                }

                lengths.Slice(index, repeat).Fill(value);
                index += repeat;
            }

            if (lengths[EndOfBlock] == 0)
            {
                throw new InvalidDataException("The block has no end-of-block code.");
            }

            _literalLengths.AsSpan().Clear();
            _distanceLengths.AsSpan().Clear();
            lengths[..literals].CopyTo(_literalLengths);
            lengths.Slice(literals, distances).CopyTo(_distanceLengths);
            Build(_literalLengths, LiteralLength, _literalSorted, _literalCount, literal: true);
            Build(_distanceLengths, Distance, _distanceSorted, _distanceCount, literal: false);
        }

        /// <summary>Decodes a code longer than the table bits, canonically (as zlib's puff), returning a table entry.</summary>
        public int DecodeLong(ref BitReader reader, bool literal)
        {
            var count = literal ? _literalCount : _distanceCount;
            var sorted = literal ? _literalSorted : _distanceSorted;
            var bits = reader.Peek(MaxCodeLength);
            int code = 0, first = 0, index = 0;
            for (var length = 1; length <= MaxCodeLength; length++)
            {
                code |= (int)((bits >> (length - 1)) & 1);
                var n = count[length];
                if (code - n < first)
                {
                    var symbol = sorted[index + (code - first)];
                    return Entry(symbol, length, literal);
                }

                index += n;
                first += n;
                first <<= 1;
                code <<= 1;
            }

            throw new InvalidDataException(literal ? "Invalid literal/length code." : "Invalid distance code.");
        }

        private static int Entry(int symbol, int length, bool literal)
        {
            if (!literal)
            {
                return symbol >= 30 ? 0 : length + DistanceExtra[symbol];
            }

            return symbol switch
            {
                < EndOfBlock => length | KindLiteral,
                EndOfBlock => length | KindEnd,
                <= 285 => (length + LengthExtra[symbol - 257]) | KindLength,
                _ => 0,
            };
        }

        private static uint Reverse(uint code, int length)
        {
            var result = 0u;
            for (var i = 0; i < length; i++)
            {
                result = (result << 1) | (code & 1);
                code >>= 1;
            }

            return result;
        }

        /// <summary>A full table for the code-length code (at most 7 bits): entry = length | symbol &lt;&lt; 8.</summary>
        private static void BuildSimple(ReadOnlySpan<byte> lengths, int[] table, int tableBits)
        {
            Array.Clear(table);
            Span<int> count = stackalloc int[MaxCodeLength + 1];
            Span<int> next = stackalloc int[MaxCodeLength + 2];
            count.Clear();
            foreach (var length in lengths)
            {
                count[length]++;
            }

            count[0] = 0;
            var code = 0;
            for (var length = 1; length <= MaxCodeLength; length++)
            {
                code = (code + count[length - 1]) << 1;
                next[length] = code;
            }

            for (var symbol = 0; symbol < lengths.Length; symbol++)
            {
                int length = lengths[symbol];
                if (length == 0)
                {
                    continue;
                }

                var reversed = (int)Reverse((uint)next[length]++, length);
                if (reversed >= 1 << tableBits)
                {
                    throw new InvalidDataException("Oversubscribed code length code.");
                }

                for (var i = reversed; i < 1 << tableBits; i += 1 << length)
                {
                    table[i] = length | (symbol << 8);
                }
            }
        }

        private void Build(byte[] lengths, int[] table, ushort[] sorted, ushort[] count, bool literal)
        {
            Array.Clear(table);
            Array.Clear(count);
            foreach (var length in lengths)
            {
                count[length]++;
            }

            count[0] = 0;

            // Over-subscribed codes would decode ambiguously; incomplete ones (a lone distance code) are allowed.
            var left = 1;
            for (var length = 1; length <= MaxCodeLength; length++)
            {
                left = (left << 1) - count[length];
                if (left < 0)
                {
                    throw new InvalidDataException("Oversubscribed Huffman code.");
                }
            }

            _offsets[1] = 0;
            for (var length = 1; length <= MaxCodeLength; length++)
            {
                _offsets[length + 1] = (ushort)(_offsets[length] + count[length]);
            }

            for (var symbol = 0; symbol < lengths.Length; symbol++)
            {
                if (lengths[symbol] != 0)
                {
                    sorted[_offsets[lengths[symbol]]++] = (ushort)symbol;
                }
            }

            // Canonical codes in order of (length, symbol): sorted is exactly that order.
            var code = 0u;
            var position = 0;
            for (var length = 1; length <= MaxCodeLength; length++)
            {
                for (var n = 0; n < count[length]; n++)
                {
                    var symbol = sorted[position++];
                    if (length <= TableBits)
                    {
                        var entry = Entry(symbol, length, literal);
                        var reversed = (int)Reverse(code, length);
                        for (var i = reversed; i < 1 << TableBits; i += 1 << length)
                        {
                            table[i] = entry;
                        }
                    }
                    else
                    {
                        // The first TableBits bits of a long code select an entry that sends the decoder to DecodeLong.
                        table[(int)Reverse(code >> (length - TableBits), TableBits)] = KindLong;
                    }

                    code++;
                }

                code <<= 1;
            }
        }
    }
}
