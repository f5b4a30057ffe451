namespace Xcat.Imaging.Bundles.Tests.Bundles;

/// <summary>A source site that exports and a target site that imports, both thrown away after each test.</summary>
public abstract class TwoSites : IDisposable
{
    internal BundleSite Source { get; } = new();

    internal BundleSite Target { get; } = new();

    public void Dispose()
    {
        Source.Dispose();
        Target.Dispose();
        GC.SuppressFinalize(this);
    }
}
