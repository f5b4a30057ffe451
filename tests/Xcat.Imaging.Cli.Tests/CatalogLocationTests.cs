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
        await RunAsync(env, "--catalog", _temp.Combine("opt.db"), "lsdef", "-t", "site");
        File.Exists(_temp.Combine("opt.db")).Should().BeTrue();
        File.Exists(_temp.Combine("env.db")).Should().BeFalse();

        await RunAsync(env, "lsdef", "-t", "site");
        File.Exists(_temp.Combine("env.db")).Should().BeTrue();

        env.Remove("XCATIMG_CATALOG");
        await RunAsync(env, "lsdef", "-t", "site");
        File.Exists(_temp.Combine("data", "xcatimg", "catalog.db")).Should().BeTrue();
    }

    [Fact]
    public async Task InstallDir_IsTheOption_ElseTheEnvironment_ElseTheSiteTable_ElseTheDefault()
    {
        var env = new Dictionary<string, string?> { ["XCATIMG_CATALOG"] = _temp.Combine("a.db") };
        await RunAsync(env, "mkdef", "-t", "osimage", "rhels9.4-x86_64-netboot-compute", "imagetype=linux", "provmethod=netboot",
            "profile=compute", "osvers=rhels9.4", "osarch=x86_64");

        // packimage names the rootimg it looked for, under the install directory in force.
        async Task<string> LookedIn(params string[] global)
        {
            var (exitCode, _, error) = await RunAnyAsync(env, [.. global, "packimage", "rhels9.4-x86_64-netboot-compute"]);
            exitCode.Should().Be(1);
            return error;
        }

        (await LookedIn()).Should().Contain("/install/netboot/rhels9.4/x86_64/compute/rootimg does not exist");
        await RunAsync(env, "chdef", "-t", "site", "installdir=/srv/site-install");
        (await LookedIn()).Should().Contain("/srv/site-install/netboot/rhels9.4/x86_64/compute/rootimg does not exist");
        env["XCATIMG_INSTALLDIR"] = "/srv/env-install";
        (await LookedIn()).Should().Contain("/srv/env-install/netboot/rhels9.4/x86_64/compute/rootimg does not exist");
        (await LookedIn("--install-dir", "/srv/opt-install")).Should().Contain("/srv/opt-install/netboot/rhels9.4/x86_64/compute/rootimg does not exist");
        (await RunAsync(env, "lsdef", "-t", "site", "-i", "installdir", "-c")).Should().Be("clustersite: installdir=/srv/site-install\n",
            "an override applies to the run; it does not change the site table");
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
        var site = await CliHarness.RunProcessAsync(_temp.Path, "--catalog", catalog, "tabdump", "site");
        site.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(3, "the initial site rows are written exactly once");
        osimages.Out.Should().Be("#imagename,groups,profile,imagetype,description,provmethod,rootfstype,nfsrootopts,osdistroname,osupdatename,cfmdir,osname,osvers,osarch,synclists,postscripts,postbootscripts,serverrole,isdeletable,kitcomponents,environvar,comments,disable\n");
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
        var (exitCode, output, error) = await RunAnyAsync(env, args);
        exitCode.Should().Be(0, error);
        return output;
    }

    private async Task<(int ExitCode, string Output, string Error)> RunAnyAsync(Dictionary<string, string?> env, params string[] args)
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
        return (exitCode, output.ToString(), error.ToString());
    }
}
