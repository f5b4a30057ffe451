using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Cli.Tests;

public sealed class CatalogLocationTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task CatalogOption_WinsOverEnvironment_WhichWinsOverDataHome()
    {
        var env = new Dictionary<string, string?> { ["XDG_DATA_HOME"] = _temp.Combine("data"), ["XCATIMG_CATALOG"] = _temp.Combine("env.db") };
        await RunAsync(env, "--catalog", _temp.Combine("opt.db"), "lsdef", "-t", "osimage");
        File.Exists(_temp.Combine("opt.db")).Should().BeTrue();
        File.Exists(_temp.Combine("env.db")).Should().BeFalse();

        await RunAsync(env, "lsdef", "-t", "osimage");
        File.Exists(_temp.Combine("env.db")).Should().BeTrue();

        env.Remove("XCATIMG_CATALOG");
        await RunAsync(env, "lsdef", "-t", "osimage");
        File.Exists(_temp.Combine("data", "xcatimg", "catalog.db")).Should().BeTrue();
    }

    [Fact]
    public async Task InstallDir_FromOptionOrEnvironment_RelocatesTheDefaults()
    {
        var env = new Dictionary<string, string?> { ["XCATIMG_CATALOG"] = _temp.Combine("a.db"), ["XCATIMG_INSTALLDIR"] = "/srv/env-install" };
        (await RunAsync(env, "lsdef", "-t", "osimage", "-i", "rootimgdir", "-c", "rhels9.4-x86_64-netboot-compute"))
            .Should().Be("rhels9.4-x86_64-netboot-compute: rootimgdir=/srv/env-install/netboot/rhels9.4/x86_64/compute\n");

        env["XCATIMG_CATALOG"] = _temp.Combine("b.db");
        (await RunAsync(env, "--install-dir", "/srv/opt-install", "lsdef", "-t", "osimage", "-i", "rootimgdir", "-c", "rhels9.4-x86_64-netboot-compute"))
            .Should().Be("rhels9.4-x86_64-netboot-compute: rootimgdir=/srv/opt-install/netboot/rhels9.4/x86_64/compute\n");
    }

    [Fact]
    public async Task ConcurrentProcesses_WritingTheSameCatalog_AllSucceed()
    {
        var catalog = _temp.Combine("shared.db");
        var runs = Enumerable.Range(1, 6)
            .Select(i => CliHarness.RunProcessAsync(_temp.Path, "--catalog", catalog, "mkdef", "-t", "node", $"n{i}[01-20]", $"groups=g{i},all"))
            .ToList();
        var results = await Task.WhenAll(runs);

        results.Should().OnlyContain(r => r.ExitCode == 0, string.Join("\n", results.Select(r => r.Error)));
        var listing = await CliHarness.RunProcessAsync(_temp.Path, "--catalog", catalog, "lsdef", "-t", "node", "-s");
        listing.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(120);
        var osimages = await CliHarness.RunProcessAsync(_temp.Path, "--catalog", catalog, "tabdump", "osimage");
        osimages.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(7, "the defaults are seeded exactly once");
    }

    [Fact]
    public async Task Process_BadVerb_ExitsNonZeroWithUsageOnStderr()
    {
        var result = await CliHarness.RunProcessAsync(_temp.Path, "--catalog", _temp.Combine("x.db"), "frobnicate");
        result.ExitCode.Should().Be(2);
        result.Error.Should().Contain("Error: Unknown verb 'frobnicate'.").And.Contain("Usage: xcatimg");
        result.Out.Should().BeEmpty();
    }

    private async Task<string> RunAsync(Dictionary<string, string?> env, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CliContext
        {
            Out = output,
            Error = error,
            GetEnvironmentVariable = name => env.GetValueOrDefault(name),
            WorkingDirectory = _temp.Path,
            LoggerFactory = Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance,
        };
        var exitCode = await CliApplication.RunAsync(args, context, CancellationToken.None);
        exitCode.Should().Be(0, error.ToString());
        return output.ToString();
    }
}
