using Xcat.Imaging.Bundles.Manifest;
using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Bundles.Tests.Manifest;

public sealed class BundleManifestTests
{
    [Fact]
    public void Constructor_NullImage_ThrowsArgumentNullException()
        => FluentActions.Invoking(() => new BundleManifest(null!)).Should().Throw<ArgumentNullException>().WithParameterName("image");

    [Fact]
    public void Image_SetToNull_ThrowsArgumentNullException()
        => FluentActions.Invoking(() => new BundleManifest(Some.NetbootImage()) { Image = null! }).Should().Throw<ArgumentNullException>();

    [Fact]
    public void NewManifest_HasEmptyListsAndNoPaths()
    {
        var manifest = new BundleManifest(Some.NetbootImage());

        manifest.Extras.Should().BeEmpty();
        manifest.RawImageFiles.Should().BeEmpty();
        manifest.Kits.Should().BeEmpty();
        manifest.KitRepos.Should().BeEmpty();
        manifest.KitComponents.Should().BeEmpty();
        manifest.OtherElements.Should().BeEmpty();
        manifest.Kernel.Should().BeNull();
        manifest.UnpackedRootImage.Should().BeNull();
    }

    [Fact]
    public void ManifestElement_LeafConstructor_HasNoChildren()
        => new ManifestElement("a", "b").Children.Should().BeEmpty();
}
