using Xcat.Imaging.Bundles;

namespace Xcat.Imaging.Cli.Verbs;

internal sealed class ImgimportVerb : IVerb
{
    public string Name => "imgimport";

    public string Summary => "Import an image bundle: verify, place its files, define the osimage (all or nothing).";

    public string Usage => "imgimport <bundle> [-p|--postscripts noderange] [-f|--profile new_profile] [--force] [--allow-dest DIR]... [--keep-privileges] [-n|--nozip] [-v]";

    public async Task<int> RunAsync(IReadOnlyList<string> args, CliContext context, CancellationToken cancellationToken)
    {
        var options = new OptionParser().Value('p', "postscripts").Value('f', "profile").Flag(null, "force").Value(null, "allow-dest").Flag(null, "keep-privileges")
            .Flag('n', "nozip").Value('R', "remotehost").Flag('v', "verbose").Parse(args);
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
