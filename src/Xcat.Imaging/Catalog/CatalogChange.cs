namespace Xcat.Imaging.Catalog;

internal enum CatalogChangeKind
{
    Upsert,
    Insert,
    Delete,
    DeleteAll,
}

internal sealed record CatalogChange(
    CatalogChangeKind Kind,
    string Table,
    IReadOnlyDictionary<string, string>? Key,
    IReadOnlyDictionary<string, string?>? Values);
