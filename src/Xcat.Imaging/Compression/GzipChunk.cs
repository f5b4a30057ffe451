namespace Xcat.Imaging.Compression;

/// <summary>
/// One unit of work of <see cref="ParallelGzipStream"/>: the input holds up to 32 KiB of preceding data (the preset
/// dictionary) right before the chunk's own data, which always starts at <see cref="WindowSize"/>.
/// </summary>
internal sealed class GzipChunk(int chunkSize)
{
    public const int WindowSize = 32 * 1024;

    public byte[] Input { get; } = new byte[WindowSize + chunkSize];

    public int DictionaryLength { get; set; }

    public int Length { get; set; }

    public bool Last { get; set; }

    public int Level { get; set; }

    public long Index { get; set; }

    public byte[] Output { get; set; } = [];

    public int OutputLength { get; set; }

    public uint Crc { get; set; }

    public Task Task { get; set; } = Task.CompletedTask;

    public Span<byte> Data => Input.AsSpan(WindowSize, Length);
}
