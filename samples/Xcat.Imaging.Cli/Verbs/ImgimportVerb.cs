using Xcat.Imaging.Bundles;

namespace Xcat.Imaging.Cli.Verbs;

internal sealed class ImgimportVerb : IVerb
{
    public string Name => "imgimport";

    public string Summary => "Import an image bundle: verify, place its files, define the osimage (all or nothing).";

    public string Usage => "imgimport <bundle> [-p|--postscripts noderange] [-f|--profile new_profile] [--force] [--allow-dest DIR]... [--keep-privileges] [-n|--nozip] [-v]";

    public void Define(VerbSyntax syntax) => syntax
        .Arguments("bundle", "The bundle (.tgz) that imgexport or xCAT's imgexport wrote.")
        .Value('p', "postscripts", "noderange", "Give these nodes the bundle's postscripts.")
        .Value('f', "profile", "new_profile", "Import under this profile; the image is renamed to match. [default: the bundle's profile]")
        .Flag(null, "force", "Replace an image that already exists.")
        .Value(null, "allow-dest", "DIR", "Also allow the bundle to place files under DIR (repeatable). [default: the install directory only]")
        .Flag(null, "keep-privileges", "Keep owners, set-ID bits and security attributes outside rootimg/.")
        .Flag('n', "nozip", "Accepted as xCAT's; the compression is detected.")
        .Value('R', "remotehost", "host", "Not supported: copy the bundle here first.")
        .Flag('v', "verbose", "List the placed files.");

    public async Task<int> RunAsync(ParsedOptions options, CliContext context, CancellationToken cancellationToken)
    {
        if (options.Has("remotehost"))
        {
            throw new NotSupportedException("Remote import (-R) is not supported; copy the bundle here with scp first.");
        }

        if (options.Positional.Count != 1)
        {
            throw new UsageException("One bundle file is expected.");
        }

        if (options.Positional[0].Length == 0)
        {
            throw new UsageException("The bundle file name is empty.");
        }

        // -n (xCAT's tar xf without z) needs nothing: the compression is detected.
        var importOptions = new ImageImportOptions
        {
            NewProfile = options.Get("profile"),
            PostScriptsNodeRange = options.Get("postscripts"),
            Force = options.Has("force"),
        };

        // Outside rootimg/, owners, set-ID bits and security attributes are dropped unless asked for.
        importOptions.Reader.KeepPrivileges = options.Has("keep-privileges");
        foreach (var directory in options.GetAll("allow-dest"))
        {
            if (directory.Length == 0)
            {
                throw new UsageException("--allow-dest needs a directory, not an empty string.");
            }

            importOptions.AllowedDestinations.Add(context.ResolvePath(directory));
        }

        var bundle = context.ResolvePath(options.Positional[0]);
        var catalog = await context.GetCatalogAsync(cancellationToken);
        var importer = new ImageImporter(catalog, await context.GetSiteAsync(cancellationToken), loggerFactory: context.LoggerFactory);
        await context.Out.WriteAsync("Unbundling image...\n");
        using var bar = new ConsoleProgressBar(context.Error, context.IsTerminal);
        var result = await importer.ImportAsync(bundle, importOptions, bar, cancellationToken);
        bar.Dispose();
        foreach (var message in result.Messages)
        {
            await context.Out.WriteAsync(message + "\n");
        }

        if (options.Has("verbose"))
        {
            foreach (var image in result.Images)
            {
                await context.Out.WriteAsync($"{image.Definition.Name}: checksums {(image.Verified ? "verified" : "absent (xCAT bundle)")}\n");
                foreach (var path in image.PlacedPaths)
                {
                    await context.Out.WriteAsync($"  {path}\n");
                }
            }
        }

        return CliApplication.Success;
    }
}
