using Xcat.Imaging.Bundles;
using Xcat.Imaging.Catalog;
using Xcat.Imaging.Definitions;
using Xcat.Imaging.Packing;
using Xcat.Imaging.Tables;

// A SQLite catalog with xCAT's tables. A new one is as xCAT's database before copycds: a site table and no images.
var catalog = await SqliteImageCatalog.OpenAsync("catalog.db");
var objects = new ObjectCommands(catalog);

// chdef -t site: a local install directory, so that the sample runs without root. Every orchestrator takes the site.
await objects.ChangeAsync("site", [SiteSettings.ObjectName], [new("installdir", Path.GetFullPath("install"))]);
var site = await catalog.ReadSiteSettingsAsync();

// mkdef -f: all-or-nothing, every problem reported at once; -f replaces what an earlier run defined.
const string Name = "rhels9.4-x86_64-netboot-compute";
var pkglist = Path.Combine(site.InstallDirectory, "custom", "netboot", "rh", "compute.pkglist");
Directory.CreateDirectory(Path.GetDirectoryName(pkglist)!);
File.WriteAllText(pkglist, "bash\nopenssh-server\n");
await objects.MakeAsync("osimage", [Name], new Dictionary<string, string>
{
    ["imagetype"] = "linux", ["provmethod"] = "netboot", ["profile"] = "compute", ["osvers"] = "rhels9.4", ["osarch"] = "x86_64",
    ["osname"] = "Linux", ["pkglist"] = pkglist,
}, ExistingObjectHandling.Replace);
ImageDefinition image = (await catalog.FindImageAsync(Name))!;
var directory = image.GetRootImageDirectory(site);
Console.WriteLine(directory);   // <current directory>/install/netboot/rhels9.4/x86_64/compute

// What genimage leaves behind (stand-ins here): a root tree, a kernel and an initrd. packimage packs the tree.
Directory.CreateDirectory(Path.Combine(directory, "rootimg", "etc"));
File.WriteAllText(Path.Combine(directory, "rootimg", "etc", "hostname"), "compute\n");
File.WriteAllText(Path.Combine(directory, "kernel"), "stand-in kernel\n");
File.WriteAllText(Path.Combine(directory, "initrd-stateless.gz"), "stand-in initrd\n");
var packed = await new RamdiskPacker().PackImageAsync(image, site);
Console.WriteLine($"{packed.ArchivePath}: {packed.Entries} entries");

// tabdump, byte for byte as xCAT writes it.
await new TableDump(catalog).DumpAsync("osimage", Console.Out);

// imgexport/imgimport: an xCAT-compatible bundle, checksummed; the import is verified and all-or-nothing.
var exported = await new ImageExporter(catalog, site).ExportAsync(Name, "compute.tgz");
var imported = await new ImageImporter(catalog, site).ImportAsync("compute.tgz", new ImageImportOptions { NewProfile = "compute2", Force = true });
Console.WriteLine($"{exported.Entries} members; imported {imported.Images[0].Definition.Name}");   // rhels9.4-x86_64-netboot-compute2
