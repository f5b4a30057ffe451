using System.Text;

namespace Xcat.Imaging.Bundles.Manifest;

/// <summary>
/// Reads and writes a bundle's <c>manifest.xml</c> (xCAT's imgport.pm, make_bundle, imgport.pm, manifest_adapter). Writing reproduces xCAT's imgexport byte for byte;
/// reading accepts what xCAT's imgimport accepts, both the nested (2.8+) and the flat (2.7) layout.
/// </summary>
public static class ManifestSerializer
{
    /// <summary>The manifest's file name inside a bundle's image directory.</summary>
    public const string FileName = "manifest.xml";

    /// <summary>The largest manifest, in bytes, that <see cref="Deserialize(Stream)"/> accepts; larger documents are refused.</summary>
    public const long MaximumSize = 16 * 1024 * 1024;

    private const int ChunkSize = 81920;

    private static readonly UTF8Encoding s_utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Writes a manifest as UTF-8 without a byte order mark.</summary>
    /// <param name="manifest">The manifest.</param>
    /// <param name="destination">The stream to write to; it is left open.</param>
    /// <exception cref="ArgumentNullException"><paramref name="manifest"/> or <paramref name="destination"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is not writable, or the manifest holds an element
    /// name or value that XML cannot carry, or an other element that clashes with a known one.</exception>
    public static void Serialize(BundleManifest manifest, Stream destination)
    {
        var bytes = Encode(manifest, destination);
        destination.Write(bytes);
    }

    /// <summary>Writes a manifest as UTF-8 without a byte order mark.</summary>
    /// <param name="manifest">The manifest.</param>
    /// <param name="destination">The stream to write to; it is left open.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the manifest is written.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="manifest"/> or <paramref name="destination"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is not writable, or the manifest holds an element
    /// name or value that XML cannot carry, or an other element that clashes with a known one.</exception>
    public static Task SerializeAsync(BundleManifest manifest, Stream destination, CancellationToken cancellationToken = default)
    {
        var bytes = Encode(manifest, destination);
        return destination.WriteAsync(bytes, cancellationToken).AsTask();
    }

    /// <summary>Returns a manifest's text, exactly as <see cref="Serialize"/> writes it.</summary>
    /// <param name="manifest">The manifest.</param>
    /// <returns>The XML document, with <c>\n</c> line ends.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="manifest"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The manifest holds an element name or value that XML cannot carry, or an other
    /// element that clashes with a known one.</exception>
    public static string SerializeToString(BundleManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return ManifestWriter.Write(manifest);
    }

    /// <summary>
    /// Reads a manifest. DTDs are refused, so are documents larger than <see cref="MaximumSize"/>. Surrounding whitespace is
    /// trimmed from the top-level paths and, as xCAT does, from single-token imagename, provmethod, profile, osvers and osarch.
    /// </summary>
    /// <param name="source">The stream to read; it is read to its end and left open.</param>
    /// <returns>The manifest.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="source"/> is not readable.</exception>
    /// <exception cref="InvalidDataException">The document is too large, is not well-formed XML, has a DTD, has a root other
    /// than <c>xcatimage</c>, has no imagename, or has a malformed known element.</exception>
    public static BundleManifest Deserialize(Stream source)
    {
        using var buffer = Buffer(source);
        var chunk = new byte[ChunkSize];
        int read;
        while ((read = source.Read(chunk)) > 0)
        {
            Append(buffer, chunk, read);
        }

        buffer.Position = 0;
        return ManifestReader.Parse(buffer);
    }

    /// <summary>
    /// Reads a manifest. DTDs are refused, so are documents larger than <see cref="MaximumSize"/>. Surrounding whitespace is
    /// trimmed from the top-level paths and, as xCAT does, from single-token imagename, provmethod, profile, osvers and osarch.
    /// </summary>
    /// <param name="source">The stream to read; it is read to its end and left open.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The manifest.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="source"/> is not readable.</exception>
    /// <exception cref="InvalidDataException">The document is too large, is not well-formed XML, has a DTD, has a root other
    /// than <c>xcatimage</c>, has no imagename, or has a malformed known element.</exception>
    public static Task<BundleManifest> DeserializeAsync(Stream source, CancellationToken cancellationToken = default)
    {
        var buffer = Buffer(source);
        return ReadAsync(source, buffer, cancellationToken);
    }

    /// <summary>Reads a manifest from its text, with the rules of <see cref="Deserialize(Stream)"/>.</summary>
    /// <param name="xml">The XML document.</param>
    /// <returns>The manifest.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="xml"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidDataException">The document is too large, is not well-formed XML, has a DTD, has a root other
    /// than <c>xcatimage</c>, has no imagename, or has a malformed known element.</exception>
    public static BundleManifest Deserialize(string xml)
    {
        ArgumentNullException.ThrowIfNull(xml);
        return ManifestReader.Parse(xml);
    }

    private static async Task<BundleManifest> ReadAsync(Stream source, MemoryStream buffer, CancellationToken cancellationToken)
    {
        using (buffer)
        {
            var chunk = new byte[ChunkSize];
            int read;
            while ((read = await source.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                Append(buffer, chunk, read);
            }

            // The document is in memory now; parsing it needs no I/O.
            buffer.Position = 0;
            return ManifestReader.Parse(buffer);
        }
    }

    private static byte[] Encode(BundleManifest manifest, Stream destination)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(destination);
        if (!destination.CanWrite)
        {
            throw new ArgumentException("The stream is not writable.", nameof(destination));
        }

        return s_utf8.GetBytes(ManifestWriter.Write(manifest));
    }

    /// <summary>Checks the source and returns the buffer its bytes go to; the whole manifest is read before parsing so the size limit holds.</summary>
    private static MemoryStream Buffer(Stream source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!source.CanRead)
        {
            throw new ArgumentException("The stream is not readable.", nameof(source));
        }

        if (source.CanSeek && source.Length - source.Position > MaximumSize)
        {
            throw TooLarge();
        }

        return new MemoryStream();
    }

    private static void Append(MemoryStream buffer, byte[] chunk, int count)
    {
        if (buffer.Length + count > MaximumSize)
        {
            throw TooLarge();
        }

        buffer.Write(chunk, 0, count);
    }

    private static InvalidDataException TooLarge()
        => new($"The manifest is larger than {MaximumSize} bytes, the most this library reads.");
}
