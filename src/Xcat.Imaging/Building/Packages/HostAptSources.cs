namespace Xcat.Imaging.Building.Packages;

/// <summary>Reads the mirrors the host's apt is configured with: one-line <c>deb</c> sources and deb822 <c>.sources</c> files.</summary>
internal static class HostAptSources
{
    public static IReadOnlyList<string> ReadMirrors()
    {
        var files = new List<string>();
        if (File.Exists("/etc/apt/sources.list"))
        {
            files.Add("/etc/apt/sources.list");
        }

        if (Directory.Exists("/etc/apt/sources.list.d"))
        {
            files.AddRange(Directory.EnumerateFiles("/etc/apt/sources.list.d").Order(StringComparer.Ordinal));
        }

        var mirrors = new List<string>();
        foreach (var file in files)
        {
            foreach (var raw in File.ReadLines(file))
            {
                var line = raw.Trim();
                if (line.StartsWith("deb ", StringComparison.Ordinal))
                {
                    var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).SkipWhile(word => word.StartsWith('['));
                    mirrors.AddRange(words.Take(1));
                }
                else if (line.StartsWith("URIs:", StringComparison.OrdinalIgnoreCase))
                {
                    mirrors.AddRange(line["URIs:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries));
                }
            }
        }

        return [.. mirrors.Where(url => url.StartsWith("http://", StringComparison.Ordinal) || url.StartsWith("https://", StringComparison.Ordinal))
            .Select(url => url.TrimEnd('/')).Distinct(StringComparer.Ordinal)];
    }
}
