namespace Xcat.Imaging.Building.Initrd;

/// <summary>
/// The network drivers an initrd carries: the ones asked for, the architecture's defaults and everything they need,
/// as xCAT's genimage computes them (netboot/rh/genimage: <c>-n</c>, the per-arch list, <c>modules.dep</c>).
/// </summary>
public sealed class NetworkDriverList
{
    private static readonly string[] s_x86 = ["tg3", "bnx2", "bnx2x", "e1000", "e1000e", "igb", "mlx_en", "virtio_net", "be2net"];
    private static readonly string[] s_aarch64 = ["tg3", "bnx2", "bnx2x", "e1000e", "igb", "mlx_en", "virtio_net"];
    private static readonly string[] s_ppc64 = ["e1000", "e1000e", "igb", "ibmveth", "ehea"];
    private static readonly string[] s_s390x = ["qdio", "ccwgroup"];
    private static readonly string[] s_compressions = [".ko.xz", ".ko.zst", ".ko.gz", ".ko"];

    private NetworkDriverList(IReadOnlyList<string> modules, IReadOnlyList<string> missing)
    {
        Modules = modules;
        Missing = missing;
    }

    /// <summary>Gets the module names to put in the initrd: those asked for, then the defaults, each followed by what it
    /// needs, without duplicates, spelled as the kernel's file names spell them.</summary>
    public IReadOnlyList<string> Modules { get; }

    /// <summary>Gets the names asked for (or defaulted) that the kernel does not have; they are left out.</summary>
    public IReadOnlyList<string> Missing { get; }

    /// <summary>Returns genimage's default network drivers for an architecture (none for ppc64le or one it does not know).</summary>
    /// <param name="architecture">The osarch: <c>x86_64</c>, <c>aarch64</c>, <c>ppc64</c>, <c>s390x</c>, ...</param>
    /// <returns>The module names, in xCAT's order.</returns>
    public static IReadOnlyList<string> DefaultsFor(string architecture)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        return architecture switch
        {
            "x86_64" or "x86" or "i386" or "i686" => s_x86,
            "aarch64" or "arm64" => s_aarch64,
            "ppc64" => s_ppc64,
            "s390x" => s_s390x,
            _ => [],
        };
    }

    /// <summary>Resolves the drivers for one kernel against its <c>modules.dep</c>.</summary>
    /// <param name="requested">The drivers asked for (<c>-n</c>), with or without <c>.ko</c>; <c>allupdate</c> is skipped.</param>
    /// <param name="architecture">The osarch whose defaults are added after <paramref name="requested"/>.</param>
    /// <param name="modulesDep">The text of <c>lib/modules/&lt;kernel&gt;/modules.dep</c>.</param>
    /// <returns>The list.</returns>
    public static NetworkDriverList Resolve(IEnumerable<string> requested, string architecture, string modulesDep)
    {
        ArgumentNullException.ThrowIfNull(requested);
        ArgumentNullException.ThrowIfNull(modulesDep);
        var known = ParseModulesDep(modulesDep);

        var wanted = new List<string>();
        foreach (var entry in requested.Concat(DefaultsFor(architecture)))
        {
            var name = entry.Trim();
            if (name.EndsWith(".ko", StringComparison.Ordinal))
            {
                name = name[..^3];
            }

            // allupdate is genimage -n's keyword for "every driver of driverupdatesrc", not a module.
            if (name.Length == 0 || name == "allupdate")
            {
                continue;
            }

            // xCAT's lists say mlx_en; the kernel's driver is mlx4_en.
            if (name == "mlx_en" && known.ContainsKey("mlx4_en"))
            {
                name = "mlx4_en";
            }

            wanted.Add(name);
        }

        var modules = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var name in wanted)
        {
            if (!known.ContainsKey(Canonical(name)))
            {
                if (!missing.Contains(name, StringComparer.Ordinal))
                {
                    missing.Add(name);
                }

                continue;
            }

            AddWithDependencies(Canonical(name), known, seen, modules);
        }

        // A virtio driver binds only through a transport, and modules.dep cannot say so (the transport uses the
        // driver's bus, not its symbols): qemu's virtio-net-pci needs virtio_pci.
        if (modules.Any(static m => m.StartsWith("virtio", StringComparison.Ordinal)) && known.ContainsKey("virtio_pci"))
        {
            AddWithDependencies("virtio_pci", known, seen, modules);
        }

        return new NetworkDriverList(modules, missing);
    }

    private static void AddWithDependencies(string canonical, Dictionary<string, (string Name, string[] Needs)> known,
        HashSet<string> seen, List<string> modules)
    {
        if (!seen.Add(canonical))
        {
            return;
        }

        var (name, needs) = known[canonical];
        modules.Add(name);
        foreach (var need in needs)
        {
            if (known.ContainsKey(need))
            {
                AddWithDependencies(need, known, seen, modules);
            }
        }
    }

    // modules.dep lines: "kernel/drivers/net/virtio_net.ko.xz: kernel/drivers/net/net_failover.ko.xz kernel/net/core/failover.ko.xz".
    private static Dictionary<string, (string Name, string[] Needs)> ParseModulesDep(string text)
    {
        var known = new Dictionary<string, (string Name, string[] Needs)>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var name = ModuleName(line[..colon]);
            var needs = line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(static path => Canonical(ModuleName(path))).ToArray();
            known[Canonical(name)] = (name, needs);
        }

        return known;
    }

    private static string ModuleName(string path)
    {
        var file = path.Trim();
        file = file[(file.LastIndexOf('/') + 1)..];
        foreach (var suffix in s_compressions)
        {
            if (file.EndsWith(suffix, StringComparison.Ordinal))
            {
                return file[..^suffix.Length];
            }
        }

        return file;
    }

    // modprobe treats '-' and '_' in module names as the same character.
    private static string Canonical(string name) => name.Replace('-', '_');
}
