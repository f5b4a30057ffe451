namespace Xcat.Imaging.Bundles.Import;

/// <summary>A kit, kitrepo or kitcomponent row of the manifest, upserted by its key (xCAT's imgport.pm, set_config).</summary>
internal sealed record KitRow(string Table, string Key, string Name, IReadOnlyDictionary<string, string> Columns);
