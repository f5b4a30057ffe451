using System.Globalization;
using Xcat.Imaging.Packing;
using Xcat.Imaging.TestKit;
using Xcat.Imaging.Trees;

namespace Xcat.Imaging.Tests;

/// <summary>Unpacks hostile archives, each into its own directory beside a victim that must never change.</summary>
internal static class HostileUnpack
{
    /// <summary>
    /// Each case must extract, or be refused with <see cref="InvalidDataException"/> or <see cref="IOException"/> and a
    /// one-line message; afterwards the victim is unchanged and nothing but the victim and the outputs exists.
    /// </summary>
    /// <returns>How many cases were refused.</returns>
    public static async Task<int> AssertConfinedAsync(IEnumerable<(byte[] Archive, string Description)> cases, TreeExtractionOptions? options = null)
    {
        using var temp = new TempDirectory();
        var victim = temp.Combine("victim");
        Directory.CreateDirectory(victim);
        await File.WriteAllTextAsync(Path.Combine(victim, "passwd"), "root:x:0:0\n");
        var before = TreeSnapshot.Capture(victim);
        var failures = new List<string>();
        var refused = 0;
        var i = 0;
        foreach (var (archive, description) in cases)
        {
            var destination = temp.Combine("out", (i++).ToString(CultureInfo.InvariantCulture));
            try
            {
                await new RamdiskUnpacker().ExtractAsync(new MemoryStream(archive), destination, options);
            }
            catch (Exception exception) when (exception is InvalidDataException or IOException)
            {
                refused++;
                if (exception.Message.AsSpan().ContainsAny("\n\r\u001b\0"))
                {
                    failures.Add($"case {i} ({description}): unclear message: {DisplayText.Escape(exception.Message)}");
                }
            }
            catch (Exception exception)
            {
                failures.Add($"case {i} ({description}): {exception.GetType().Name}: {DisplayText.Escape(exception.Message)}");
            }
        }

        failures.Should().BeEmpty();
        new TreeComparer().AssertEqual(before, TreeSnapshot.Capture(victim));
        Directory.EnumerateFileSystemEntries(temp.Path).Select(Path.GetFileName).Should().BeEquivalentTo(["victim", "out"]);
        return refused;
    }
}
