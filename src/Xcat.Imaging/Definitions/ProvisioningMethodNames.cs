namespace Xcat.Imaging.Definitions;

/// <summary>Converts <see cref="ProvisioningMethod"/> values to and from xCAT's lower-case names.</summary>
public static class ProvisioningMethodNames
{
    private static readonly string[] s_names = ["install", "netboot", "statelite", "boottarget", "dualboot", "sysclone", "raw"];

    /// <summary>Gets xCAT's names of every provisioning method, in declaration order.</summary>
    public static IReadOnlyList<string> All => s_names;

    /// <summary>Returns xCAT's name for <paramref name="method"/>, such as <c>netboot</c>.</summary>
    /// <param name="method">The provisioning method.</param>
    /// <returns>The lower-case name stored in <c>osimage.provmethod</c>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="method"/> is not a defined value.</exception>
    public static string ToName(ProvisioningMethod method)
    {
        var index = (int)method;
        ArgumentOutOfRangeException.ThrowIfNegative(index, nameof(method));
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, s_names.Length, nameof(method));
        return s_names[index];
    }

    /// <summary>Parses xCAT's name of a provisioning method; names are matched exactly, as xCAT does.</summary>
    /// <param name="name">The name, such as <c>netboot</c>.</param>
    /// <param name="method">The parsed method when the result is <see langword="true"/>.</param>
    /// <returns><see langword="true"/> when <paramref name="name"/> is a known method.</returns>
    public static bool TryParse(string? name, out ProvisioningMethod method)
    {
        var index = Array.IndexOf(s_names, name);
        method = (ProvisioningMethod)Math.Max(index, 0);
        return index >= 0;
    }
}
