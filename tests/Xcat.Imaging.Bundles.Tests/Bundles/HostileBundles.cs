using System.Security;
using System.Text;

namespace Xcat.Imaging.Bundles.Tests.Bundles;

/// <summary>Where a hostile case aims: the site's directory, its install directory and a victim directory beside it.</summary>
/// <param name="Root">The directory holding the install directory.</param>
/// <param name="Install">The install directory.</param>
/// <param name="Victim">A directory outside the install directory that no import may touch.</param>
internal sealed record HostileLayout(string Root, string Install, string Victim)
{
    /// <summary>Creates the victim directory with a few files (including a would-be cron job) and returns the layout.</summary>
    public static HostileLayout Create(string root, string install)
    {
        var layout = new HostileLayout(root, install, Path.Combine(root, "victim"));
        Directory.CreateDirectory(Path.Combine(layout.Victim, "cron.d"));
        File.WriteAllText(Path.Combine(layout.Victim, "passwd"), "root:x:0:0:root:/root:/bin/bash\n");
        File.WriteAllText(Path.Combine(layout.Victim, "cron.d", "job"), "* * * * * root true\n");
        return layout;
    }
}

/// <summary>One crafted bundle and the phrase its one-line refusal must contain (naming the member or attribute).</summary>
internal sealed record HostileCase(string Name, Func<HostileLayout, TarBuilder> Build, string Message);

/// <summary>
/// Hand-crafted hostile bundles (raw ustar through <see cref="TarBuilder"/>, manifests written as strings), each
/// aimed at making imgimport write, move or link outside the install directory, as an attacker would try.
/// </summary>
internal static class HostileBundles
{
    public const string Image = "rhels9.4-x86_64-netboot-intruder";
    public const string Dir = "/install/netboot/rhels9.4/x86_64/intruder";

    private static readonly HostileCase[] s_cases =
    [
        // Sources: a manifest path must resolve inside the extracted bundle.
        new("extra src climbing out of the bundle moves a host directory",
            _ => Base(Manifest(Extra("/tmp/../../../../../victim", "/install/stolen"))), "the extra '/tmp/../../../../../victim'"),
        new("extra src of dot-dots only",
            _ => Base(Manifest(Extra("../../../../victim", "/install/stolen"))), "the extra '../../../../victim'"),
        new("extra src through a symlinked directory of the bundle",
            _ => Base(Manifest(Extra("/a/c", "/install/x"))).Directory("./img/extra").Directory("./img/extra/b").File("./img/extra/b/c", "x").Symlink("./img/extra/a", "b"),
            "through 'extra/a', which is a SymbolicLink"),
        new("kit name '/'", _ => Base(Manifest(Kit("/", "/install/kits/x"))), "The kit name '/' in manifest.xml contains '/'"),
        new("kit name '..'", _ => Base(Manifest(Kit("..", "/install/kits/x"))), "The kit name '..' in manifest.xml is '..'"),
        new("kit name 'a/../../x'", _ => Base(Manifest(Kit("a/../../x", "/install/kits/x"))), "The kit name 'a/../../x'"),
        new("kit name climbing to the victim", _ => Base(Manifest(Kit("../../../../victim", "/install/kits/x"))), "The kit name '../../../../victim'"),
        new("kit name is the victim's absolute path", l => Base(Manifest(Kit(l.Victim, "/install/kits/x"))), "contains '/'"),
        new("kit name empty", _ => Base(Manifest(Kit("", "/install/kits/x"))), "A <kit> element has no <name>"),
        new("kitdir outside the install directory",
            l => Base(Manifest(Kit("mykit", l.Victim + "/mykit"))).Directory("./img/mykit").File("./img/mykit/x", "x"), "kit mykit"),
        new("kitdir leaving the install directory by ..",
            _ => Base(Manifest(Kit("mykit", "/install/../../victim/mykit"))).Directory("./img/mykit").File("./img/mykit/x", "x"), "outside the install directory"),
        new("kit other_files holding a symbolic link",
            _ => Base(Manifest(Kit("mykit", "/install/kits/mykit"))).Directory("./img/mykit").Directory("./img/mykit/other_files")
                .File("./img/mykit/real", "#!/bin/sh\n").Symlink("./img/mykit/other_files/script.sh", "../real"),
            "script 'other_files/script.sh' of kit 'mykit' is a SymbolicLink"),

        // Destinations: inside the install directory only, normalised once.
        new("rootimgdir /etc", _ => Base(Manifest(changes: ("linuximage/rootimgdir", "/etc"))), "rootimgdir at '/etc'"),
        new("rootimgdir the victim", l => Base(Manifest(changes: ("linuximage/rootimgdir", l.Victim))), "rootimgdir"),
        new("rootimgdir the install directory itself", _ => Base(Manifest(changes: ("linuximage/rootimgdir", "/install/"))), "rootimgdir"),
        new("kernel climbing out of the install directory",
            _ => Base(Manifest(changes: ("kernel", "/install/netboot/../../victim/cron.d/kernel"))), "place kernel at"),
        new("extra dest climbing out", _ => Base(Manifest(Extra("/f", "/install/postscripts/../../victim/cron.d"))).File("./img/extra/f", "x"), "the extra '/f'"),
        new("extra dest relative", _ => Base(Manifest(Extra("/f", "victim/cron.d"))).File("./img/extra/f", "x"), "relative path"),
        new("list file named ..", _ => Base(Manifest(changes: ("linuximage/pkglist", "/install/custom/.."))), "pkglist '/install/custom/..' does not end in a file name"),

        // Names that become path components.
        new("profile ../../x", _ => Base(Manifest(changes: ("osimage/profile", "../../x"))), "The 'profile' field of manifest.xml is '../../x'"),
        new("osvers with a slash", _ => Base(Manifest(changes: ("osimage/osvers", "rhels9/../../../victim"))), "The 'osvers' field of manifest.xml"),
        new("osarch ..", _ => Base(Manifest(changes: ("osimage/osarch", ".."))), "The 'osarch' field of manifest.xml is '..'"),
        new("osvers with a newline", _ => Base(Manifest(changes: ("osimage/osvers", "rhels9\nError: forged"))), @"'rhels9\nError: forged'"),
        new("image name ..", _ => Base(Manifest(changes: [("osimage/imagename", ".."), ("linuximage/imagename", "..")])), "The 'imagename' field of manifest.xml is '..'"),
        new("provmethod with a slash", _ => Base(Manifest(changes: ("osimage/provmethod", "raw/../../../../victim"))), "The 'provmethod' field"),

        // Links: never followed by placement, never placed leading out.
        new("extras link leading out once placed, then a file through it",
            _ => Base(Manifest(Extra("/a/b/c", "/install/x") + Extra("/f", "/install/x/l"))).Directory("./img/extra/a/b/c")
                .Symlink("./img/extra/a/b/c/l", "../../victim/cron.d").File("./img/extra/f", "* * * * * root evil\n"),
            "symbolic link to '../../victim/cron.d'"),
        new("extras link to /etc, then a file through it",
            _ => Base(Manifest(Extra("/a", "/install/x") + Extra("/f", "/install/x/etc/cron.d"))).Directory("./img/extra/a")
                .Symlink("./img/extra/a/etc", "/etc").File("./img/extra/f", "* * * * * root evil\n"),
            "'img/extra/a/etc' is a symbolic link to '/etc', outside the bundle"),
        new("extras link into the unpacked rootimg, whose own link leads out",
            l => Base(Manifest(Extra("/a", "/install/x"), ("unpackedrootimg", Dir + "/rootimg"))).Directory("./img/rootimg").Symlink("./img/rootimg/evil", l.Victim)
                .Directory("./img/extra/a").Symlink("./img/extra/a/l", "../netboot/rhels9.4/x86_64/intruder/rootimg/evil"),
            "leads to"),
        new("a file placed through a link of the unpacked rootimg",
            l => Base(Manifest(Extra("/f", Dir + "/rootimg/evil/cron.d"), ("unpackedrootimg", Dir + "/rootimg"))).Directory("./img/rootimg")
                .Symlink("./img/rootimg/evil", l.Victim).File("./img/extra/f", "* * * * * root evil\n"),
            "through the symbolic link"),
        new("a file placed through a link of a statelite rootimgtree.gz",
            l => StateliteBase(Manifest(Extra("/f", Dir + "/rootimg/evil/cron.d"), [.. Statelite()]),
                NewcBuilder.Gzip(new NewcBuilder().Directory("rootimg").Symlink("rootimg/evil", l.Victim).ToArchive())).File("./img/extra/f", "evil"),
            "through the symbolic link"),
        new("a statelite rootimgtree.gz whose rootimg is a link",
            l => StateliteBase(Manifest(changes: Statelite()), NewcBuilder.Gzip(new NewcBuilder().Symlink("rootimg", l.Victim).ToArchive())),
            "holds rootimg as a SymbolicLink"),
        new("extras link climbing above the root once placed",
            _ => Base(Manifest(Extra("/a/b/c/d", "/install/y"))).Directory("./img/extra/a/b/c/d").Symlink("./img/extra/a/b/c/d/up", "../../../.."),
            "symbolic link to '../../../..'"),
        new("kit directory link into the unpacked rootimg, whose own link leads out",
            l => Base(Manifest(Kit("mykit", Dir + "/mykit"), ("unpackedrootimg", Dir + "/rootimg"))).Directory("./img/rootimg").Symlink("./img/rootimg/evil", l.Victim)
                .Directory("./img/mykit").Symlink("./img/mykit/l", "../rootimg/evil"),
            "The kit member 'img/mykit/l' placed at"),
        new("extras symlink with an empty target", _ => Base(Manifest(Extra("/a", "/install/x"))).Directory("./img/extra/a").Symlink("./img/extra/a/l", ""),
            "img/extra/a/l' (header at offset 6144) is a symbolic link with an empty target"),
        new("top-level image directory that is a link",
            _ => Base(Manifest()).Symlink("./img2", "img"), "The top-level bundle member 'img2' is a symbolic link"),

        new("a file through a link the same import placed, even one leading inside",
            _ => Base(Manifest(Extra("/a", "/install/x") + Extra("/f", "/install/x/l"))).Directory("./img/extra/a").Symlink("./img/extra/a/l", "../y")
                .File("./img/extra/f", "x"),
            "through the symbolic link"),
        new("kitdir relative", _ => Base(Manifest(Kit("mykit", "kits/mykit"))).Directory("./img/mykit").File("./img/mykit/x", "x"), "relative path"),

        // Duplicates.
        new("two kits with one script name",
            _ => Base(Manifest(Kit("kit1", "/install/kits/kit1") + Kit("kit2", "/install/kits/kit2")))
                .Directory("./img/kit1/other_files").File("./img/kit1/other_files/setup.sh", "one")
                .Directory("./img/kit2/other_files").File("./img/kit2/other_files/setup.sh", "two"),
            "would place both the script 'other_files/setup.sh' of kit 'kit1' and the script 'other_files/setup.sh' of kit 'kit2'"),
        new("two extras placing different files at one path",
            _ => Base(Manifest(Extra("/a", "/install/x") + Extra("/b", "/install/x"))).Directory("./img/extra/a").File("./img/extra/a/f", "one")
                .Directory("./img/extra/b").File("./img/extra/b/f", "two"),
            "would place both"),
        new("an extra replacing the kernel",
            _ => Base(Manifest(Extra("/kernel", Dir))).File("./img/extra/kernel", "evil kernel"), "would place both kernel and the extra '/kernel'"),
    ];

    public static TheoryData<string> Names => [.. s_cases.Select(static c => c.Name)];

    public static HostileCase Get(string name) => s_cases.Single(c => c.Name == name);

    /// <summary>A netboot manifest in xCAT's layout; <paramref name="changes"/> set (or, with null, remove) <c>table/column</c> or top-level fields.</summary>
    public static string Manifest(string extraXml = "", params (string Key, string? Value)[] changes)
    {
        var fields = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["kernel"] = Dir + "/kernel", ["ramdisk"] = Dir + "/initrd-stateless.gz", ["rootimg"] = Dir + "/rootimg.cpio.gz",
            ["linuximage/imagename"] = Image, ["linuximage/rootimgdir"] = Dir,
            ["osimage/imagename"] = Image, ["osimage/imagetype"] = "linux", ["osimage/osarch"] = "x86_64", ["osimage/osvers"] = "rhels9.4",
            ["osimage/profile"] = "intruder", ["osimage/provmethod"] = "netboot",
        };
        foreach (var (key, value) in changes)
        {
            if (value is null)
            {
                fields.Remove(key);
            }
            else
            {
                fields[key] = value;
            }
        }

        var xml = new StringBuilder("<?xml version=\"1.0\"?>\n<xcatimage>\n").Append(extraXml);
        foreach (var table in new[] { "linuximage", "osimage" })
        {
            xml.Append("  <").Append(table).Append(">\n");
            foreach (var (key, value) in fields.Where(f => f.Key.StartsWith(table + "/", StringComparison.Ordinal)))
            {
                var column = key[(table.Length + 1)..];
                xml.Append($"    <{column}>{SecurityElement.Escape(value)}</{column}>\n");
            }

            xml.Append("  </").Append(table).Append(">\n");
        }

        foreach (var (key, value) in fields.Where(static f => !f.Key.Contains('/', StringComparison.Ordinal)))
        {
            xml.Append($"  <{key}>{SecurityElement.Escape(value)}</{key}>\n");
        }

        return xml.Append("</xcatimage>\n").ToString();
    }

    public static string Extra(string source, string destination) =>
        $"  <extra>\n    <dest>{SecurityElement.Escape(destination)}</dest>\n    <src>{SecurityElement.Escape(source)}</src>\n  </extra>\n";

    public static string Kit(string name, string kitDirectory) =>
        $"  <kit>\n    <name>{SecurityElement.Escape(name)}</name>\n    <basename>mykit</basename>\n    <kitdir>{SecurityElement.Escape(kitDirectory)}</kitdir>\n  </kit>\n";

    /// <summary>The image directory with its manifest and the three netboot files.</summary>
    public static TarBuilder Base(string manifest) =>
        new TarBuilder().Image("img", manifest).File("./img/kernel", "k").File("./img/initrd-stateless.gz", "i").File("./img/rootimg.cpio.gz", "r");

    private static (string Key, string? Value)[] Statelite() =>
    [
        ("osimage/provmethod", "statelite"), ("osimage/imagename", "rhels9.4-x86_64-statelite-intruder"),
        ("linuximage/imagename", "rhels9.4-x86_64-statelite-intruder"), ("rootimg", null), ("rootimgtree", Dir + "/rootimgtree.gz"),
    ];

    private static TarBuilder StateliteBase(string manifest, byte[] tree) =>
        new TarBuilder().Image("img", manifest).File("./img/kernel", "k").File("./img/initrd-stateless.gz", "i").File("./img/rootimgtree.gz", tree);
}
