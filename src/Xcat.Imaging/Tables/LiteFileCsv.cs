using System.Text;
using Xcat.Imaging.Catalog;
using Xcat.Imaging.Definitions;
using Xcat.Imaging.Schema;
using Xcat.Imaging.Unix;

namespace Xcat.Imaging.Tables;

/// <summary>
/// The <c>litefile.csv</c> a statelite image bundle carries: the image's rows of the <c>litefile</c> table, written as
/// xCAT's imgexport writes them (<c>"image","file","options",,</c> per line) and read as its imgimport reads them, by
/// splitting on <c>"</c> (xCAT's imgport.pm, make_bundle step 4 and make_files). Names are bytes (<see cref="UnixNameEncoding"/>).
/// </summary>
public static class LiteFileCsv
{
    private const string TableName = "litefile";

    /// <summary>
    /// Selects the rows imgexport ships for <paramref name="image"/>: enabled rows of no image, of the image's groups (the whole
    /// <c>groups</c> value, or <c>ALL</c> when it has none) and of the image itself, in table order.
    /// </summary>
    /// <param name="catalog">The catalog whose <c>litefile</c> table is read.</param>
    /// <param name="image">The image.</param>
    /// <param name="cancellationToken">A token to cancel the read.</param>
    /// <returns>The rows; an unset <c>options</c> is <c>tmpfs</c>, xCAT's default.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static async Task<IReadOnlyList<LiteFileEntry>> SelectAsync(IImageCatalog catalog, ImageDefinition image, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(image);
        var owner = CommaListOrAll(image.OsImage.Groups);
        var entries = new List<LiteFileEntry>();
        foreach (var row in await catalog.ReadTableAsync(TableName, cancellationToken).ConfigureAwait(false))
        {
            var rowImage = row["image"];
            if (row.IsDisabled || !(string.IsNullOrEmpty(rowImage) || rowImage == owner || rowImage == image.Name) || row["file"] is not { } file)
            {
                continue;
            }

            entries.Add(new LiteFileEntry(file, row["options"] is { Length: > 0 } options ? options : "tmpfs"));
        }

        return entries;
    }

    /// <summary>Writes <paramref name="entries"/> as the <c>litefile.csv</c> of the image named <paramref name="imageName"/>.</summary>
    /// <param name="imageName">The image name written in every line.</param>
    /// <param name="entries">The rows.</param>
    /// <returns>The file's bytes.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static byte[] Format(string imageName, IEnumerable<LiteFileEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(imageName);
        ArgumentNullException.ThrowIfNull(entries);
        var builder = new StringBuilder();
        foreach (var entry in entries)
        {
            builder.Append('"').Append(imageName).Append("\",\"").Append(entry.File).Append("\",\"").Append(entry.Options).Append("\",,\n");
        }

        return UnixNameEncoding.GetBytes(builder.ToString());
    }

    /// <summary>Reads a <c>litefile.csv</c>; blank lines are skipped and the image name in each line is ignored, as imgimport does.</summary>
    /// <param name="data">The file's bytes.</param>
    /// <param name="sourceName">What the file is, for messages, such as <c>the litefile.csv of 'compute'</c>.</param>
    /// <returns>The rows, in file order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="sourceName"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidDataException">A line is not a litefile row; the message names its number.</exception>
    public static IReadOnlyList<LiteFileEntry> Parse(ReadOnlySpan<byte> data, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(sourceName);
        var rows = new List<LiteFileEntry>();
        var number = 0;
        foreach (var line in UnixNameEncoding.GetString(data).Split('\n'))
        {
            number++;
            if (line.Trim().Length == 0)
            {
                continue;
            }

            var fields = line.Split('"');
            if (fields.Length < 6 || fields[3].Length == 0)
            {
                throw new InvalidDataException($"Line {number} of {sourceName} is not a litefile row: '{line}'.");
            }

            rows.Add(new LiteFileEntry(fields[3], fields[5]));
        }

        return rows;
    }

    private static string CommaListOrAll(IReadOnlyList<string> groups) => CommaList.Join(groups) ?? "ALL";
}
