using Xcat.Imaging.Unix;

namespace Xcat.Imaging.TestKit;

/// <summary>
/// Builds a tree whose names are not all UTF-8 — Latin-1, KOI8-R, EUC-JP, CP866, lone and truncated UTF-8 bytes, an
/// overlong and a surrogate encoding — with python3's byte paths, so that the tree is made without the library's
/// own name mapping. Every kind of entry carries such a name: files, a directory and a file in it, a symbolic link
/// whose target is not UTF-8, a hard link, a FIFO; names that decode to the same text under a lossy decoder sit side by side.
/// </summary>
public static class ByteNameTree
{
    /// <summary>The names (as the library's strings) of the regular files at the top, each holding its own name.</summary>
    public static IReadOnlyList<string> TopFiles { get; } =
    [
        Name([(byte)'c', (byte)'a', (byte)'f', 0xe9]),     // Latin-1 "café"
        Name("café"u8),                                    // the same word in UTF-8: must stay a different file
        Name([0xd0, 0xd2, 0xc9, 0xd7, 0xc5, 0xd4]),        // KOI8-R "привет"
        Name([0xaf, 0xe0, 0xa8, 0xa2, 0xa5, 0xe2]),        // CP866 "привет"
        Name([0xff, 0xfe]),                                // bytes that never occur in UTF-8
        Name([0x80]),                                      // a lone continuation byte
        Name([0xed, 0xb2, 0x80]),                          // UTF-8 of the surrogate U+DC80: must not become the name above
        Name([0xc0, 0xaf]),                                // an overlong '/'
        Name([(byte)'e', (byte)'n', (byte)'d', 0xe2, 0x82]), // a sequence cut short at the end
    ];

    /// <summary>The EUC-JP directory name ("日本").</summary>
    public static string DirectoryName { get; } = Name([0xc6, 0xfc, 0xcb, 0xdc]);

    /// <summary>The EUC-JP file name ("あ") inside <see cref="DirectoryName"/>.</summary>
    public static string NestedFile { get; } = Name([0xa4, 0xa2]);

    /// <summary>Creates the tree under <paramref name="root"/>, which must exist.</summary>
    public static void Create(string root)
    {
        const string script = """
            import os, sys
            root = os.fsencode(sys.argv[1])
            def p(*parts): return os.path.join(root, *parts)
            tops = [b'caf\xe9', 'café'.encode(), b'\xd0\xd2\xc9\xd7\xc5\xd4', b'\xaf\xe0\xa8\xa2\xa5\xe2', b'\xff\xfe',
                    b'\x80', b'\xed\xb2\x80', b'\xc0\xaf', b'end\xe2\x82']
            for name in tops:
                with open(p(name), 'wb') as f: f.write(b'name=' + name + b'\n')
            os.mkdir(p(b'\xc6\xfc\xcb\xdc'), 0o750)
            with open(p(b'\xc6\xfc\xcb\xdc', b'\xa4\xa2'), 'wb') as f: f.write(b'euc-jp\n')
            os.symlink(b'caf\xe9', p(b'link-\xe9'))
            os.symlink(b'\xc6\xfc\xcb\xdc/\xa4\xa2', p(b'\xc6\xfc\xcb\xdc', b'up-\xff'))
            os.link(p(b'caf\xe9'), p(b'hard-\xe9'))
            os.mkfifo(p(b'fifo-\xfe'), 0o640)
            for dirpath, dirnames, filenames in os.walk(root, topdown=False):
                for n in dirnames + filenames:
                    os.utime(os.path.join(dirpath, n), (1700000000, 1700000000), follow_symlinks=False)
            os.utime(root, (1700000000, 1700000000))
            """;
        HostCommand.Run("python3", "-c", script, root);
    }

    private static string Name(ReadOnlySpan<byte> bytes) => UnixNameEncoding.GetString(bytes);
}
