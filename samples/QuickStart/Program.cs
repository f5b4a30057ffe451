using Xcat.Imaging.Bundles;
using Xcat.Imaging.Catalog;
using Xcat.Imaging.Definitions;
using Xcat.Imaging.Tables;

// A SQLite catalog with xCAT's tables; a new one starts with the embedded default definitions.
var catalog = await SqliteImageCatalog.OpenAsync("catalog.db", new SqliteImageCatalogOptions { InstallDirectory = "/install" });

// mkdef/chdef as in xCAT: all-or-nothing, every problem reported at once.
var objects = new ObjectCommands(catalog);
await objects.ChangeAsync("osimage", ["rhels9.4-x86_64-netboot-compute"], [new("postscripts", "syslog,setupnfs")], AttributeChangeMode.Plus);

// Typed definitions.
ImageDefinition image = (await catalog.FindImageAsync("rhels9.4-x86_64-netboot-compute"))!;
Console.WriteLine(image.GetRootImageDirectory("/install"));   // /install/netboot/rhels9.4/x86_64/compute

// tabdump, byte for byte as xCAT writes it.
await new TableDump(catalog).DumpAsync("osimage", Console.Out);

// imgexport/imgimport: an xCAT-compatible bundle, checksummed; the import is verified and all-or-nothing.
var exported = await new ImageExporter(catalog, "/install").ExportAsync("rhels9.4-x86_64-netboot-compute", "compute.tgz");
var imported = await new ImageImporter(catalog, "/install").ImportAsync("compute.tgz", new ImageImportOptions { NewProfile = "compute2" });
Console.WriteLine($"{exported.Entries} members; imported {imported.Images[0].Definition.Name}");   // rhels9.4-x86_64-netboot-compute2
