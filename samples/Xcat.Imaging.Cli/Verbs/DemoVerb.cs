using Xcat.Imaging.Unix;

namespace Xcat.Imaging.Cli.Verbs;

/// <summary>
/// Runs every capability once on a new throw-away catalog (which, as xCAT's before copycds, holds no image), printing each command and
/// its output. It never touches the user's catalog or install directory.
/// </summary>
internal sealed class DemoVerb : IVerb
{
    private const string Image = "debian12-x86_64-netboot-demo";

    public string Name => "demo";

    public string Summary => "Run every capability once on a temporary catalog and show the output.";

    public string Usage => "demo [--keep]";

    public void Define(VerbSyntax syntax) => syntax
        .Flag(null, "keep", "Keep the temporary catalog and install directory.")
        .Flag('v', "verbose", "Log what is done on stderr.");

    public async Task<int> RunAsync(ParsedOptions options, CliContext context, CancellationToken cancellationToken)
    {
        var work = Directory.CreateTempSubdirectory("xcatimg-demo-");
        var installDir = Path.Combine(work.FullName, "install");
        var demo = context.With(workingDirectory: work.FullName, catalog: Path.Combine(work.FullName, "catalog.db"), installDirectory: installDir);
        await context.Out.WriteAsync($"# xcatimg demo: catalog {demo.CatalogOption}, install dir {installDir}\n");
        var imageDir = Path.Combine(installDir, "netboot", "debian12", "x86_64", "demo");
        var exlist = Path.Combine(installDir, "custom", "netboot", "debian", "demo.exlist");
        WriteDemoTree(Path.Combine(imageDir, "rootimg"), exlist);
        var listDir = Path.Combine(installDir, "custom", "netboot", "debian");
        WriteDemoFiles(imageDir, listDir, work.FullName);
        var bundle = Path.Combine(work.FullName, Image + ".tgz");
        var locks = Path.Combine(work.FullName, "locks");
        try
        {
            // Each step: the arguments, and whether it is meant to fail (to show the refusal and the unchanged catalog).
            (string[] Args, bool Fails)[] steps =
            [
                // A new catalog is as xCAT's database before copycds: a site object and no image.
                (["lsdef", "-t", "site", "-l"], false),
                (["lsdef", "-t", "osimage"], true),
                (["chdef", "-t", "site", "clustersite", $"installdir={installDir}", "timezone=UTC", "master=10.0.0.1"], false),
                (["chdef", "-t", "site", "httpport=http"], true),
                (["tabdump", "site"], false),
                (["mkdef", "-t", "osimage", "-o", Image, "imagetype=linux", "provmethod=netboot", "profile=demo", "osvers=debian12",
                    "osarch=x86_64", "osname=Linux", "description=Demo image", $"pkglist={Path.Combine(listDir, "demo.pkglist")}",
                    $"exlist={exlist}", $"rootimgdir={imageDir}"], false),
                (["chdef", "-t", "osimage", "-o", Image, "-p", "postscripts=syslog,remoteshell", $"synclists={Path.Combine(listDir, "demo.synclist")}"], false),
                (["chdef", "-t", "osimage", "-o", Image, "-m", "postscripts=remoteshell"], false),
                (["chdef", "-t", "osimage", "-o", Image, "-m", "postscripts=nosuchscript"], true),
                (["chdef", "-t", "osimage", "-o", Image, "colour=blue"], true),
                // Hostile input: a profile that would lead the rootimgdir out of the install directory, a noderange nested past the limit.
                (["mkdef", "-t", "osimage", "-o", "evil", "imagetype=linux", "provmethod=netboot", "profile=../../etc", "osvers=debian12", "osarch=x86_64"], true),
                (["lsdef", "-t", "node", new string('(', 40) + "node01" + new string(')', 40)], true),
                (["lsdef", "-t", "osimage", "-l", Image], false),
                (["lsdef", "-t", "osimage", "-i", "provmethod,rootimgdir,postscripts", "-c", Image], false),
                (["mkdef", "-t", "node", "node[01-04]", "groups=compute,all"], false),
                (["chdef", "-t", "node", "compute", $"provmethod={Image}", "os=debian12", "arch=x86_64", "profile=demo", "postbootscripts=otherpkgs"], false),
                (["lsdef", "-t", "node", "node01-node02", "-i", "groups,provmethod,postbootscripts"], false),
                // The table commands scripts use: nodels, chtab, gettab (a bad column is refused, the table unchanged), lsdef -h.
                (["nodels", "compute", "nodetype.os", "groups"], false),
                (["chtab", "node=node01", "nodetype.comments=first node"], false),
                (["gettab", "node=node01", "nodetype.comments"], false),
                (["chtab", "node=node01", "nodetype.colour=blue"], true),
                (["lsdef", "-t", "osimage", "-h", "-i", "provmethod,rootimgdir"], false),
                (["tabdump", "osimage"], false),
                (["tabdump", "-w", $"imagename=={Image}", "linuximage"], false),
                (["tabdump", "-f", "postscripts.csv", "postscripts"], false),
                (["tabrestore", "postscripts.csv"], false),
                (["tabdump", "postscripts"], false),
                (["rmdef", "-t", "node", "node04"], false),
                (["noderm", "node03"], false),
                (["tabprune", "litefile", "-a"], false),
                (["lsdef", "-t", "node", "-s"], false),
                (["packimage", Image, "--lock-dir", locks], false),
                (["inspect", Path.Combine(imageDir, "rootimg.cpio.gz")], false),
                (["packimage", Image, "-m", "tar", "-c", "zstd", "--lock-dir", locks], false),
                (["unpack", Path.Combine(imageDir, "rootimg.tar.zst"), "-C", Path.Combine(work.FullName, "unpacked")], false),
                (["pack", Path.Combine(imageDir, "rootimg"), "-o", Path.Combine(work.FullName, "tree.cpio.xz"), "-c", "xz", "--exlist", exlist], false),
                (["packimage", "rhels9.4-x86_64-install-compute"], true),
                (["imgexport", Image, bundle, "-p", "node01", "-e", $"{Path.Combine(work.FullName, "scripts", "hello")}:{Path.Combine(installDir, "postscripts")}",
                    "--with-rootimg-tree", "-v"], false),
                (["inspect", bundle], false),
                (["imgimport", bundle, "-f", "demo2", "-p", "node01,node02", "-v"], false),
                (["lsdef", "-t", "osimage", "-l", "debian12-x86_64-netboot-demo2"], false),
                (["lsdef", "-t", "node", "node01", "-i", "postscripts,postbootscripts"], false),
                (["imgimport", bundle, "-f", "demo2"], true),
                (["packimage", "debian12-x86_64-netboot-demo2", "--lock-dir", locks], false),
            ];
            foreach (var (stepArgs, fails) in steps)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await context.Out.WriteAsync($"\n$ xcatimg {string.Join(' ', stepArgs.Select(Quote))}{(fails ? "    # refused, the catalog stays as it was" : string.Empty)}\n");
                await context.Out.FlushAsync(cancellationToken);
                // Refused steps print their errors on stdout, in sequence with the commands.
                var exitCode = await CliApplication.RunAsync(stepArgs, demo.With(error: demo.Out), cancellationToken);
                if ((exitCode != CliApplication.Success) != fails)
                {
                    await CliApplication.WriteErrorAsync(context, $"The demo step 'xcatimg {string.Join(' ', stepArgs)}' exited with {exitCode}.");
                    return CliApplication.Failure;
                }
            }

            await context.Out.WriteAsync("\n# demo finished: every step behaved as expected.\n");
            return CliApplication.Success;
        }
        finally
        {
            if (!options.Has("keep"))
            {
                // Not DirectoryInfo.Delete: it cannot remove the name that is not UTF-8.
                UnixMetadataProvider.Default.DeleteTree(work.FullName);
            }
        }
    }

    // A small root image: enough for packimage to show exclusion, re-inclusion, links and the archive listing.
    private static void WriteDemoTree(string rootimg, string exlist)
    {
        foreach (var dir in new[] { "bin", "etc", "usr/share/doc/demo", "var/tmp" })
        {
            Directory.CreateDirectory(Path.Combine(rootimg, dir));
        }

        File.WriteAllText(Path.Combine(rootimg, "etc", "hostname"), "demo\n");
        File.WriteAllText(Path.Combine(rootimg, "etc", "os-release"), "PRETTY_NAME=\"xcatimg demo\"\n");
        File.WriteAllText(Path.Combine(rootimg, "usr", "share", "doc", "demo", "README"), "kept: re-included by the exlist\n");
        File.WriteAllText(Path.Combine(rootimg, "usr", "share", "doc", "demo", "changelog"), "dropped by the exlist\n");
        File.WriteAllBytes(Path.Combine(rootimg, "bin", "tool"), new byte[64 * 1024]);
        File.CreateSymbolicLink(Path.Combine(rootimg, "bin", "sh"), "tool");
        File.CreateSymbolicLink(Path.Combine(rootimg, "etc", "localtime"), "/usr/share/zoneinfo/UTC");

        // A name that is not UTF-8 (Latin-1 "café"): Linux names are bytes, and every step below keeps this one byte for
        // byte; listings show it as caf\351. Written through the library's Unix seam, since .NET's file APIs cannot.
        var latin1 = Path.Combine(rootimg, "etc", UnixNameEncoding.GetString([(byte)'c', (byte)'a', (byte)'f', 0xe9]));
        using (var file = UnixMetadataProvider.Default.OpenWrite(latin1, FileMode.CreateNew, (UnixFileMode)0x1A4))
        {
            file.Write("a Latin-1 file name\n"u8);
        }
        Directory.CreateDirectory(Path.GetDirectoryName(exlist)!);
        File.WriteAllText(exlist, "# demo exlist: find -path globs relative to the rootimg\n./usr/share/doc*\n+./usr/share/doc/demo/README\n./var/tmp*\n");
    }

    // What imgexport ships besides the packed rootimg: kernel, initrd, list files and an extra script.
    private static void WriteDemoFiles(string imageDir, string listDir, string work)
    {
        Directory.CreateDirectory(listDir);
        File.WriteAllText(Path.Combine(imageDir, "kernel"), "a demo stands in for vmlinuz\n");
        using (var initrd = new System.IO.Compression.GZipStream(File.Create(Path.Combine(imageDir, "initrd-stateless.gz")), System.IO.Compression.CompressionLevel.Fastest))
        {
            initrd.Write("a demo stands in for the initrd\n"u8);
        }

        File.WriteAllText(Path.Combine(listDir, "demo.pkglist"), "bash\nopenssh-server\n");
        File.WriteAllText(Path.Combine(listDir, "demo.synclist"), "/etc/hosts -> /etc/hosts\n");
        Directory.CreateDirectory(Path.Combine(work, "scripts"));
        File.WriteAllText(Path.Combine(work, "scripts", "hello"), "#!/bin/sh\necho hello from a postscript\n");
    }

    private static string Quote(string arg) => arg.Any(char.IsWhiteSpace) || arg.AsSpan().ContainsAny("[()") ? $"'{arg}'" : arg;
}
