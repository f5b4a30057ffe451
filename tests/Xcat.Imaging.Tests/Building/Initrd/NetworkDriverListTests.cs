using Xcat.Imaging.Building.Initrd;

namespace Xcat.Imaging.Tests.Building.Initrd;

/// <summary>genimage's driver list (spec §4.6): -n, the architecture's defaults, mlx4_en, and modules.dep's closure.</summary>
public sealed class NetworkDriverListTests
{
    // The shape of Debian 12's modules.dep for the NICs a qemu guest and the defaults use.
    private const string ModulesDep = """
        kernel/drivers/net/virtio_net.ko: kernel/drivers/net/net_failover.ko kernel/net/core/failover.ko kernel/drivers/virtio/virtio_ring.ko kernel/drivers/virtio/virtio.ko
        kernel/drivers/net/net_failover.ko: kernel/net/core/failover.ko
        kernel/net/core/failover.ko:
        kernel/drivers/virtio/virtio.ko:
        kernel/drivers/virtio/virtio_ring.ko:
        kernel/drivers/virtio/virtio_pci.ko: kernel/drivers/virtio/virtio_pci_legacy_dev.ko kernel/drivers/virtio/virtio_pci_modern_dev.ko kernel/drivers/virtio/virtio_ring.ko kernel/drivers/virtio/virtio.ko
        kernel/drivers/virtio/virtio_pci_legacy_dev.ko:
        kernel/drivers/virtio/virtio_pci_modern_dev.ko:
        kernel/drivers/net/ethernet/intel/e1000/e1000.ko:
        kernel/drivers/net/ethernet/intel/e1000e/e1000e.ko: kernel/drivers/ptp/ptp.ko kernel/drivers/pps/pps_core.ko
        kernel/drivers/ptp/ptp.ko: kernel/drivers/pps/pps_core.ko
        kernel/drivers/pps/pps_core.ko:
        kernel/drivers/net/ethernet/mellanox/mlx4/mlx4_en.ko.xz: kernel/drivers/net/ethernet/mellanox/mlx4/mlx4_core.ko.xz
        kernel/drivers/net/ethernet/mellanox/mlx4/mlx4_core.ko.xz:
        kernel/drivers/net/ethernet/emulex/benet/be2net.ko.zst:
        kernel/drivers/scsi/hpsa-test.ko:
        """;

    [Fact]
    public void DefaultsFor_FollowGenimagesArchitectureLists()
    {
        NetworkDriverList.DefaultsFor("x86_64").Should().Equal("tg3", "bnx2", "bnx2x", "e1000", "e1000e", "igb", "mlx_en", "virtio_net", "be2net");
        NetworkDriverList.DefaultsFor("aarch64").Should().Equal("tg3", "bnx2", "bnx2x", "e1000e", "igb", "mlx_en", "virtio_net");
        NetworkDriverList.DefaultsFor("ppc64").Should().Equal("e1000", "e1000e", "igb", "ibmveth", "ehea");
        NetworkDriverList.DefaultsFor("s390x").Should().Equal("qdio", "ccwgroup");
        NetworkDriverList.DefaultsFor("ppc64le").Should().BeEmpty();
    }

    [Fact]
    public void Resolve_PutsRequestedFirst_ThenDefaults_EachWithItsClosure()
    {
        var list = NetworkDriverList.Resolve(["e1000e.ko"], "x86_64", ModulesDep);

        list.Modules.Should().Equal(
            "e1000e", "ptp", "pps_core",
            "e1000",
            "mlx4_en", "mlx4_core",
            "virtio_net", "net_failover", "failover", "virtio_ring", "virtio",
            "be2net",
            "virtio_pci", "virtio_pci_legacy_dev", "virtio_pci_modern_dev");
    }

    [Fact]
    public void Resolve_SkipsWhatTheKernelLacks_AndReportsIt()
    {
        var list = NetworkDriverList.Resolve(["nosuchnic", "allupdate", " "], "x86_64", ModulesDep);

        list.Missing.Should().Equal("nosuchnic", "tg3", "bnx2", "bnx2x", "igb");
        list.Modules.Should().NotContain(["nosuchnic", "allupdate", "tg3"]);
    }

    [Fact]
    public void Resolve_KeepsMlxEnWhenThereIsNoMlx4()
    {
        var list = NetworkDriverList.Resolve([], "aarch64", "kernel/drivers/net/virtio_net.ko:\n");

        list.Missing.Should().Contain("mlx_en");
        list.Modules.Should().Equal("virtio_net");
    }

    [Fact]
    public void Resolve_TreatsDashAndUnderscoreAlike_AndNeverRepeats()
    {
        var list = NetworkDriverList.Resolve(["hpsa_test", "hpsa-test.ko", "virtio-net", "virtio_net"], "ppc64le", ModulesDep);

        list.Modules.Should().Equal("hpsa-test", "virtio_net", "net_failover", "failover", "virtio_ring", "virtio",
            "virtio_pci", "virtio_pci_legacy_dev", "virtio_pci_modern_dev");
        list.Missing.Should().BeEmpty();
    }
}
