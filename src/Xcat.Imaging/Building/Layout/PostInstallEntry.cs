namespace Xcat.Imaging.Building.Layout;

/// <summary>
/// One entry of an image's postinstall attribute: a script run on the host after package installation as
/// <c>script &lt;rootimg&gt; &lt;osver&gt; &lt;arch&gt; &lt;profile&gt; [arguments...]</c> (xCAT's <c>netboot/rh/genimage</c>).
/// </summary>
/// <param name="Script">The script's path, the entry's first word.</param>
/// <param name="Arguments">The user's arguments, the entry's other words, passed after genimage's four.</param>
public sealed record PostInstallEntry(string Script, IReadOnlyList<string> Arguments)
{
    private static readonly char[] Blanks = [' ', '\t', '\n', '\r', '\f', '\v'];

    /// <summary>Parses the postinstall attribute: each comma entry split on whitespace into the script and its arguments.</summary>
    /// <param name="postinstallAttribute">The attribute's comma-separated entries (or whole comma lists: they are split again).</param>
    /// <returns>The entries in order; blank ones are skipped.</returns>
    public static IReadOnlyList<PostInstallEntry> Parse(IReadOnlyList<string> postinstallAttribute)
    {
        ArgumentNullException.ThrowIfNull(postinstallAttribute);
        var entries = new List<PostInstallEntry>();
        foreach (var entry in postinstallAttribute.Where(e => e is not null).SelectMany(e => e.Split(',')))
        {
            var words = entry.Split(Blanks, StringSplitOptions.RemoveEmptyEntries);
            if (words.Length > 0)
            {
                entries.Add(new PostInstallEntry(words[0], words[1..]));
            }
        }

        return entries;
    }
}
