using System.Text.Json;

namespace Xcat.Imaging.TestKit;

/// <summary>
/// A tree read by python3 with names as bytes (<c>os.listdir(bytes)</c>, <c>os.lstat</c>, <c>SEEK_DATA</c>/<c>SEEK_HOLE</c>),
/// so that it is an oracle for names that are not UTF-8 and for holes, independent of the library and of .NET's
/// lossy name decoding.
/// </summary>
/// <remarks>
/// Each entry holds the name in hex and escaped, type and mode bits, owner, modification time in units of 100 ns
/// (the library's resolution), size, the data map (data ranges by <c>SEEK_DATA</c>/<c>SEEK_HOLE</c>), a SHA-256 of
/// the bytes inside the map (holes read as zeros, so the map and the hash together say what the file holds), the
/// link target in hex, the device number, the names of the same inode, and the allocated 512-byte blocks.
/// </remarks>
public static class ByteTreeManifest
{
    private static readonly JsonSerializerOptions s_options = new() { PropertyNameCaseInsensitive = true };

    private const string Script = """
import hashlib, json, os, stat, sys
root = os.fsencode(sys.argv[1])
inodes = {}
entries = []
def data_map(fd, size):
    ranges, pos = [], 0
    while pos < size:
        try:
            start = os.lseek(fd, pos, os.SEEK_DATA)
        except OSError:
            break
        end = os.lseek(fd, start, os.SEEK_HOLE)
        ranges.append([start, end])
        pos = end
    return ranges
def visit(rel):
    full = os.path.join(root, rel) if rel else root
    st = os.lstat(full)
    e = {"name": rel.hex() if rel else ".", "shown": repr(rel) if rel else ".", "mode": st.st_mode, "uid": st.st_uid, "gid": st.st_gid,
         "mtime": st.st_mtime_ns // 100, "size": st.st_size if not stat.S_ISDIR(st.st_mode) else 0, "blocks": st.st_blocks,
         "map": None, "sha256": None, "target": None, "rdev": None, "links": None}
    if stat.S_ISREG(st.st_mode):
        fd = os.open(full, os.O_RDONLY)
        try:
            e["map"] = data_map(fd, st.st_size)
            h = hashlib.sha256()
            for start, end in e["map"]:
                os.lseek(fd, start, os.SEEK_SET)
                left = end - start
                while left > 0:
                    chunk = os.read(fd, min(left, 1 << 20))
                    if not chunk:
                        break
                    h.update(chunk)
                    left -= len(chunk)
            e["sha256"] = h.hexdigest()
        finally:
            os.close(fd)
    elif stat.S_ISLNK(st.st_mode):
        e["target"] = os.readlink(full).hex()
    elif stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode):
        e["rdev"] = st.st_rdev
    if not stat.S_ISDIR(st.st_mode) and st.st_nlink > 1:
        inodes.setdefault(st.st_ino, []).append(e)
    entries.append(e)
    if stat.S_ISDIR(st.st_mode):
        for child in sorted(os.listdir(full)):
            visit(os.path.join(rel, child) if rel else child)
visit(b"")
for group in inodes.values():
    names = "|".join(sorted(x["name"] for x in group))
    for x in group:
        x["links"] = names
json.dump(entries, sys.stdout)
""";

    /// <summary>Reads the tree under <paramref name="root"/>, the root itself as <c>.</c>.</summary>
    public static IReadOnlyList<ByteTreeEntry> Capture(string root)
    {
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        var json = HostCommand.Run(python, "-S", "-c", Script, root);
        return JsonSerializer.Deserialize<List<ByteTreeEntry>>(json, s_options)
            ?? throw new InvalidDataException("python3 printed no manifest.");
    }
}
