namespace Xcat.Imaging.TestKit;

/// <summary>One object of a <see cref="ByteTreeManifest"/>.</summary>
public sealed record ByteTreeEntry
{
    public required string Name { get; init; }

    public required string Shown { get; init; }

    public uint Mode { get; init; }

    public uint Uid { get; init; }

    public uint Gid { get; init; }

    public long Mtime { get; init; }

    public long Size { get; init; }

    public long Blocks { get; init; }

    public List<List<long>>? Map { get; init; }

    public string? Sha256 { get; init; }

    public string? Target { get; init; }

    public ulong? Rdev { get; init; }

    public string? Links { get; init; }
}
