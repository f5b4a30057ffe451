using Xcat.Imaging.Catalog;
using Xcat.Imaging.Definitions;
using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Bundles.Tests.Bundles;

/// <summary>
/// The hostile-bundle invariant: a refused import creates, changes, moves and removes nothing outside its place — the
/// victim directory, the install directory and the directory around them are the same before and after — leaves the
/// catalog unchanged and no staging behind, and says why in one line naming the member or attribute.
/// </summary>
public sealed class HostileBundleTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly InMemoryImageCatalog _catalog = new();
    private readonly HostileLayout _layout;

    public HostileBundleTests()
    {
        var root = _temp.Combine("site");
        var install = Path.Combine(root, "install");
        Directory.CreateDirectory(Path.Combine(install, "postscripts"));
        File.WriteAllText(Path.Combine(install, "postscripts", "syslog"), "#!/bin/sh\n");
        _layout = HostileLayout.Create(root, install);
    }

    public void Dispose() => _temp.Dispose();

    /// <summary>Compares everything but directory times (the staging directory comes and goes in the install directory).</summary>
    internal static TreeComparer Comparer { get; } = new(new TreeComparisonOptions { CompareDirectoryModificationTimes = false, CompareExtendedAttributes = false });

    [Theory]
    [Trait("Category", "Interop")]
    [MemberData(nameof(HostileBundles.Names), MemberType = typeof(HostileBundles))]
    public async Task A_hostile_bundle_is_refused_with_nothing_changed(string name)
    {
        var hostile = HostileBundles.Get(name);
        var bundle = _temp.Combine("hostile.tgz");
        await File.WriteAllBytesAsync(bundle, hostile.Build(_layout).ToTgz());
        var before = Comparer.Capture(_layout.Root);
        var catalog = await CatalogSnapshot.TakeAsync(_catalog);

        var act = () => new ImageImporter(_catalog, SiteSettings.Default.WithInstallDirectory(_layout.Install)).ImportAsync(bundle);

        var refused = (await act.Should().ThrowAsync<Exception>()).Which;
        refused.Should().Match<Exception>(e => e is IOException || e is InvalidDataException, "the CLI reports these as refusals: {0}", refused);
        refused.Message.Should().Contain(hostile.Message).And.NotContain("\n", "a refusal is one line");
        Comparer.AssertEqual(before, Comparer.Capture(_layout.Root));
        (await CatalogSnapshot.TakeAsync(_catalog)).Should().Be(catalog);
        Directory.EnumerateFileSystemEntries(_layout.Install, ".xcatimg-*").Should().BeEmpty();
    }

    [Fact]
    public async Task A_link_from_extras_to_a_directory_is_placed_as_a_link()
    {
        // Benign: the link leads inside the install directory; it is moved as a link, not "Could not find file".
        var bundle = _temp.Combine("link.tgz");
        var tar = HostileBundles.Base(HostileBundles.Manifest(HostileBundles.Extra("/d", "/install/x")))
            .Directory("./img/extra").Directory("./img/extra/sub").Symlink("./img/extra/d", "sub");
        await File.WriteAllBytesAsync(bundle, tar.ToTgz());

        await new ImageImporter(_catalog, SiteSettings.Default.WithInstallDirectory(_layout.Install)).ImportAsync(bundle);

        new FileInfo(Path.Combine(_layout.Install, "x", "d")).LinkTarget.Should().Be("sub");
    }

    [Fact]
    public async Task A_new_profile_that_is_not_one_path_component_is_refused_before_anything_is_made()
    {
        var bundle = _temp.Combine("ok.tgz");
        await File.WriteAllBytesAsync(bundle, HostileBundles.Base(HostileBundles.Manifest()).ToTgz());
        var missing = Path.Combine(_layout.Root, "fresh-install");

        var act = () => new ImageImporter(_catalog, SiteSettings.Default.WithInstallDirectory(missing)).ImportAsync(bundle, new ImageImportOptions { NewProfile = "../../victim" });

        (await act.Should().ThrowAsync<ArgumentException>()).Which.Message.Should()
            .Be("The new profile '../../victim' (-f) contains '/'; it must be a single path component.");
        Directory.Exists(missing).Should().BeFalse();
    }

    [Fact]
    [Trait("Category", "Interop")]
    public async Task An_allowed_destination_does_not_let_dot_dots_out_of_it()
    {
        var allowed = Path.Combine(_layout.Root, "allowed");
        Directory.CreateDirectory(allowed);
        var bundle = _temp.Combine("allowed.tgz");
        var tar = HostileBundles.Base(HostileBundles.Manifest(HostileBundles.Extra("/f", allowed + "/../victim/cron.d"))).File("./img/extra/f", "evil");
        await File.WriteAllBytesAsync(bundle, tar.ToTgz());
        var before = Comparer.Capture(_layout.Root);
        var options = new ImageImportOptions();
        options.AllowedDestinations.Add(allowed);

        var act = () => new ImageImporter(_catalog, SiteSettings.Default.WithInstallDirectory(_layout.Install)).ImportAsync(bundle, options);

        (await act.Should().ThrowAsync<IOException>()).Which.Message.Should().Contain("outside the install directory");
        Comparer.AssertEqual(before, Comparer.Capture(_layout.Root));
    }
}
