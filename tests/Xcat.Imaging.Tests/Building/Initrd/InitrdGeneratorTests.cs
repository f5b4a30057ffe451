using System.IO.Abstractions.TestingHelpers;
using Xcat.Imaging.Building.Execution;
using Xcat.Imaging.Building.Initrd;

namespace Xcat.Imaging.Tests.Building.Initrd;

/// <summary>The generators' plans (dry runs on a mock root): what they install, the driver list, the tool's command.</summary>
public sealed class InitrdGeneratorTests
{
    private const string Root = "/install/netboot/debian12/x86_64/compute/rootimg";
    private const string Output = "/install/netboot/debian12/x86_64/compute";
    private const string Kernel = "6.1.0-50-amd64";

    private static MockFileSystem MockRoot(params string[] directories)
    {
        var fs = new MockFileSystem();
        fs.AddFile($"{Root}/lib/modules/{Kernel}/modules.dep", new MockFileData(
            "kernel/drivers/net/virtio_net.ko: kernel/net/core/failover.ko\nkernel/net/core/failover.ko:\nkernel/drivers/virtio/virtio_pci.ko:\n"));
        foreach (var directory in directories)
        {
            fs.AddDirectory($"{Root}/{directory}");
        }

        return fs;
    }

    private static InitrdBuildContext Context(MockFileSystem fs, IBuildCommandRunner runner, InitrdKind kind = InitrdKind.Stateless) => new()
    {
        RootDirectory = Root,
        OutputDirectory = Output,
        KernelVersion = Kernel,
        NetworkDrivers = ["e1000e"],
        RootLimit = "3g",
        Kind = kind,
        Runner = runner,
        FileSystem = fs,
    };

    [Fact]
    public void Selector_PrefersDracut_ThenInitramfsTools_ElseRefuses()
    {
        InitrdGeneratorSelector.ForRoot(Root, MockRoot("usr/lib/dracut", "usr/sbin")).Should().BeOfType<DracutInitrdGenerator>();
        InitrdGeneratorSelector.ForRoot(Root, MockRoot("usr/share/dracut")).Should().BeOfType<DracutInitrdGenerator>();
        var itools = MockRoot();
        itools.AddFile($"{Root}/usr/sbin/mkinitramfs", new MockFileData("#!/bin/sh"));
        InitrdGeneratorSelector.ForRoot(Root, itools).Should().BeOfType<InitramfsToolsInitrdGenerator>();

        var neither = () => InitrdGeneratorSelector.ForRoot(Root, MockRoot("usr/sbin"));
        neither.Should().Throw<InvalidOperationException>().WithMessage("*has neither dracut*nor initramfs-tools*");
    }

    [Fact]
    public async Task Dracut_InstallsTheModuleAndDriverList_AndRunsDracutChrooted()
    {
        var fs = MockRoot("usr/lib/dracut");
        var runner = new RecordingBuildCommandRunner();

        var initrd = await new DracutInitrdGenerator().GenerateAsync(Context(fs, runner));

        initrd.Should().Be($"{Output}/initrd-stateless.gz");
        var files = runner.Steps.Where(s => s.FilePath is not null).ToDictionary(s => s.FilePath!, s => s.FileContents);
        const string module = $"{Root}/usr/lib/dracut/modules.d/98xcatimg/";
        files.Keys.Should().BeEquivalentTo(
            module + "module-setup.sh", module + "xcatimg-root.sh", module + "xcatimg-cmdline.sh", module + "xcatimg-dracut.sh",
            module + "xcatimg.conf", $"{Root}/etc/dracut.conf.d/98xcatimg.conf");
        files[$"{Root}/etc/dracut.conf.d/98xcatimg.conf"].Should().Contain("add_dracutmodules+=\" xcatimg \"")
            .And.Contain("add_drivers+=\" virtio_net failover virtio_pci \"");
        files[module + "xcatimg.conf"].Should().Be("XCATIMG_ROOTLIMIT=3g\n");

        var commands = runner.Steps.Where(s => s.Command is not null).Select(s => s.Command!).ToList();
        commands.Should().HaveCount(2);
        commands[0].FileName.Should().Be("depmod");
        var dracut = commands[1];
        dracut.FileName.Should().Be("dracut");
        dracut.Root.Should().Be(Root);
        dracut.Chroot.Should().BeTrue();
        dracut.Arguments.Should().HaveCount(5);
        dracut.Arguments.Take(3).Should().Equal("--force", "--no-hostonly", "--gzip");
        dracut.Arguments[3].Should().MatchRegex("^/tmp/xcatimg-initrd-[0-9a-f]{32}\\.gz$");
        dracut.Arguments[4].Should().Be(Kernel);
    }

    [Fact]
    public async Task InitramfsTools_InstallsTheBootMethodHookAndModules_AndRunsMkinitramfsChrooted()
    {
        var fs = MockRoot();
        fs.AddFile($"{Root}/etc/initramfs-tools/modules", new MockFileData("# List of modules\nloop\n"));
        var runner = new RecordingBuildCommandRunner();

        await new InitramfsToolsInitrdGenerator().GenerateAsync(Context(fs, runner));

        var files = runner.Steps.Where(s => s.FilePath is not null).ToDictionary(s => s.FilePath!, s => s.FileContents);
        const string conf = $"{Root}/etc/initramfs-tools/";
        files.Keys.Should().BeEquivalentTo(conf + "scripts/xcatimg", conf + "scripts/xcatimg-root", conf + "scripts/init-top/xcatimg",
            conf + "hooks/xcatimg", conf + "xcatimg.conf", conf + "modules");
        files[conf + "modules"].Should().StartWith("# List of modules\nloop\n").And.Contain("\nvirtio_net\nfailover\nvirtio_pci\n");

        var mkinitramfs = runner.Steps[^1].Command!;
        mkinitramfs.FileName.Should().Be("mkinitramfs");
        mkinitramfs.Chroot.Should().BeTrue();
        mkinitramfs.Arguments.Should().HaveCount(5);
        mkinitramfs.Arguments.Take(3).Should().Equal("-c", "gzip", "-o");
        mkinitramfs.Arguments[4].Should().Be(Kernel);
    }

    [Fact]
    public async Task BothGenerators_InstallTheSameSharedScript()
    {
        var dracutRunner = new RecordingBuildCommandRunner();
        await new DracutInitrdGenerator().GenerateAsync(Context(MockRoot("usr/lib/dracut"), dracutRunner));
        var itoolsRunner = new RecordingBuildCommandRunner();
        await new InitramfsToolsInitrdGenerator().GenerateAsync(Context(MockRoot(), itoolsRunner));

        var shared = dracutRunner.Steps.Single(s => s.FilePath?.EndsWith("/xcatimg-root.sh", StringComparison.Ordinal) == true).FileContents;
        itoolsRunner.Steps.Single(s => s.FilePath?.EndsWith("/scripts/xcatimg-root", StringComparison.Ordinal) == true).FileContents
            .Should().Be(shared).And.Contain("image checksum mismatch");
    }

    [Fact]
    public void ModulesBlock_IsReplaced_NotStacked()
    {
        var once = InitramfsToolsInitrdGenerator.WithDrivers("loop\n", ["e1000"]);
        var twice = InitramfsToolsInitrdGenerator.WithDrivers(once, ["virtio_net"]);

        twice.Should().StartWith("loop\n").And.Contain("virtio_net").And.NotContain("e1000");
        twice.Split('\n').Count(l => l.StartsWith("# >>>", StringComparison.Ordinal)).Should().Be(1);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Statelite_IsNotBuilt(bool dracut)
    {
        IInitrdGenerator generator = dracut ? new DracutInitrdGenerator() : new InitramfsToolsInitrdGenerator();
        var runner = new RecordingBuildCommandRunner();

        var act = () => generator.GenerateAsync(Context(MockRoot("usr/lib/dracut"), runner, InitrdKind.Statelite));

        await act.Should().ThrowAsync<NotSupportedException>().WithMessage("Statelite initrds are not built*");
        runner.Steps.Should().BeEmpty();
    }

    [Fact]
    public async Task RootLimit_MustBeASize()
    {
        var context = Context(MockRoot("usr/lib/dracut"), new RecordingBuildCommandRunner());
        var act = () => new DracutInitrdGenerator().GenerateAsync(new InitrdBuildContext
        {
            RootDirectory = context.RootDirectory, OutputDirectory = context.OutputDirectory, KernelVersion = Kernel,
            RootLimit = "1g; reboot", Runner = context.Runner, FileSystem = context.FileSystem,
        });

        await act.Should().ThrowAsync<ArgumentException>().WithMessage("*not a tmpfs size*");
    }
}
