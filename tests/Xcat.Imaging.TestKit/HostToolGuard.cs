namespace Xcat.Imaging.TestKit;

/// <summary>
/// Keeps the fast suite honest: with <c>XCATIMG_TEST_NO_HOST_TOOLS=1</c> every attempt to start a host program
/// through <see cref="HostCommand"/> or <see cref="ExternalTool"/> throws, so a test that runs one without its
/// <c>Category</c> trait (Interop, Boot, Debootstrap) fails by name under
/// <c>--filter "Category!=Interop&amp;Category!=Boot&amp;Category!=Debootstrap"</c>.
/// </summary>
public static class HostToolGuard
{
    /// <summary>The environment variable that forbids host programs.</summary>
    public const string VariableName = "XCATIMG_TEST_NO_HOST_TOOLS";

    /// <summary>Throws when host programs are forbidden.</summary>
    public static void ThrowIfForbidden(string program)
    {
        if (Environment.GetEnvironmentVariable(VariableName) == "1")
        {
            throw new InvalidOperationException(
                $"{VariableName}=1 forbids host programs, and this test starts {program}: give it a Category trait (Interop, Boot or Debootstrap).");
        }
    }
}
