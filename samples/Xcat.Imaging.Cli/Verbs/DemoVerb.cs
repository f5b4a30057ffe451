namespace Xcat.Imaging.Cli.Verbs;

/// <summary>
/// Runs every capability once on a throw-away catalog seeded with the embedded defaults, printing each command and
/// its output. It never touches the user's catalog or install directory.
/// </summary>
internal sealed class DemoVerb : IVerb
{
    private const string Image = "debian12-x86_64-netboot-demo";

    public string Name => "demo";

    public string Summary => "Run every capability once on a temporary catalog and show the output.";

    public string Usage => "demo [--keep]";

    public async Task<int> RunAsync(IReadOnlyList<string> args, CliContext context, CancellationToken cancellationToken)
    {
        var options = new OptionParser().Flag(null, "keep").Flag('v', "verbose").Parse(args);
        if (options.Positional.Count > 0)
        {
            throw new UsageException("demo takes no arguments.");
        }

        var work = Directory.CreateTempSubdirectory("xcatimg-demo-");
        var installDir = Path.Combine(work.FullName, "install");
        var demo = context.With(workingDirectory: work.FullName, catalog: Path.Combine(work.FullName, "catalog.db"), installDirectory: installDir);
        await context.Out.WriteAsync($"# xcatimg demo: catalog {demo.CatalogOption}, install dir {installDir}\n");
        try
        {
            // Each step: the arguments, and whether it is meant to fail (to show the refusal and the unchanged catalog).
            (string[] Args, bool Fails)[] steps =
            [
                (["lsdef", "-t", "osimage"], false),
                (["mkdef", "-t", "osimage", "-o", Image, "imagetype=linux", "provmethod=netboot", "profile=demo", "osvers=debian12",
                    "osarch=x86_64", "osname=Linux", "description=Demo image", "pkglist=/opt/xcat/share/xcat/netboot/debian/compute.debian12.x86_64.pkglist",
                    "exlist=/opt/xcat/share/xcat/netboot/debian/compute.debian12.x86_64.exlist", $"rootimgdir={installDir}/netboot/debian12/x86_64/demo"], false),
                (["chdef", "-t", "osimage", "-o", Image, "-p", "postscripts=syslog,remoteshell", "synclists=/install/custom/netboot/debian/demo.synclist"], false),
                (["chdef", "-t", "osimage", "-o", Image, "-m", "postscripts=remoteshell"], false),
                (["chdef", "-t", "osimage", "-o", Image, "-m", "postscripts=nosuchscript"], true),
                (["chdef", "-t", "osimage", "-o", Image, "colour=blue"], true),
                (["lsdef", "-t", "osimage", "-l", Image], false),
                (["lsdef", "-t", "osimage", "-i", "provmethod,rootimgdir,postscripts", "-c", Image], false),
                (["mkdef", "-t", "node", "node[01-04]", "groups=compute,all"], false),
                (["chdef", "-t", "node", "compute", $"provmethod={Image}", "os=debian12", "arch=x86_64", "profile=demo", "postbootscripts=otherpkgs"], false),
                (["lsdef", "-t", "node", "node01-node02", "-i", "groups,provmethod,postbootscripts"], false),
                (["tabdump", "osimage"], false),
                (["tabdump", "-w", $"imagename=={Image}", "linuximage"], false),
                (["tabdump", "-f", "postscripts.csv", "postscripts"], false),
                (["tabrestore", "postscripts.csv"], false),
                (["tabdump", "postscripts"], false),
                (["rmdef", "-t", "node", "node04"], false),
                (["lsdef", "-t", "node", "-s"], false),
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
                work.Delete(recursive: true);
            }
        }
    }

    private static string Quote(string arg) => arg.Any(char.IsWhiteSpace) || arg.Contains('[', StringComparison.Ordinal) ? $"'{arg}'" : arg;
}
