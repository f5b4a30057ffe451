using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Xcat.Imaging.Unix;

namespace Xcat.Imaging.Bundles.Internal;

/// <summary>
/// The regular members of an extracted bundle and their SHA-256, and the type of its links, FIFOs and devices (for
/// tar hard links to them), in memory bounded by a few dozen bytes a member: a member is keyed by the first 128 bits
/// of the SHA-256 of its name and no name is kept (they are on disk; an error that must name a member reads them back
/// from the directory). A bundle of a million members takes about 64 MB.
/// </summary>
internal sealed class MemberIndex
{
    private readonly Dictionary<NameKey, Entry> _entries = [];
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly Dictionary<NameKey, UnixFileType> _special = [];

    /// <summary>Records (or replaces, for a member given twice) <paramref name="name"/>, a normalised member name.</summary>
    public void Add(string name, Sha256Value hash)
    {
        ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(_entries, Key(name), out var existed);
        entry = new Entry { Hash = hash };
        // Counted per image directory; a top-level file belongs to none (it is refused as an image later).
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        if (!existed && slash > 0)
        {
            var top = name[..slash];
            ref var count = ref CollectionsMarshal.GetValueRefOrAddDefault(_counts, top, out _);
            count++;
        }
    }

    public void AddSpecial(string name, UnixFileType type) => _special[Key(name)] = type;

    public bool TryGetSpecial(string name, out UnixFileType type) => _special.TryGetValue(Key(name), out type);

    public bool TryGetHash(string name, out Sha256Value hash)
    {
        var found = _entries.TryGetValue(Key(name), out var entry);
        hash = entry.Hash;
        return found;
    }

    public bool Contains(string name) => _entries.ContainsKey(Key(name));

    /// <summary>The number of regular members directly or indirectly below the top-level directory <paramref name="top"/>.</summary>
    public int CountUnder(string top) => _counts.GetValueOrDefault(top);

    /// <summary>The entry of <paramref name="name"/>, or a null reference.</summary>
    public ref Entry Find(string name) => ref CollectionsMarshal.GetValueRefOrNullRef(_entries, Key(name));

    private static NameKey Key(string name)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        // The name's bytes, not its lossy UTF-8: caf\xe9 and caf\xe8 are two members.
        var maximum = UnixNameEncoding.GetByteCount(name);
        var buffer = maximum <= 1024 ? stackalloc byte[maximum] : new byte[maximum];
        var length = UnixNameEncoding.GetBytes(name, buffer);
        SHA256.HashData(buffer[..length], digest);
        return new NameKey(BinaryPrimitives.ReadUInt64LittleEndian(digest), BinaryPrimitives.ReadUInt64LittleEndian(digest[8..]));
    }

    public struct Entry
    {
        public Sha256Value Hash;
        public bool Listed;
    }

    private readonly record struct NameKey(ulong High, ulong Low);
}
