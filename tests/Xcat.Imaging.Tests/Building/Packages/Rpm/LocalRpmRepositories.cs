using System.Globalization;
using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Tests.Building.Packages.Rpm;

/// <summary>
/// Tiny noarch RPMs built with rpmbuild and indexed with createrepo_c, no scriptlets: a pkgdir tree whose repository
/// sits one level down (<c>media/BaseOS</c>: <c>xcat-hello</c>, which needs <c>xcat-base</c>) and an otherpkgdir with
/// the subdirectory <c>extra</c> (<c>xcat-extra</c>).
/// </summary>
public sealed class LocalRpmRepositories : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();

    public string Directory => _directory.Path;

    public string PackageDirectory => _directory.Combine("media");

    public string OtherPackageDirectory => _directory.Combine("otherpkgs");

    public async Task InitializeAsync()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            return;
        }

        var baseOs = _directory.Combine("media", "BaseOS");
        var extra = _directory.Combine("otherpkgs", "extra");
        await BuildAsync("xcat-base", null, "/etc/xcat-base.conf", "base configuration", baseOs);
        await BuildAsync("xcat-hello", "xcat-base", "/usr/share/xcat-hello/greeting", "hello from xcat", baseOs);
        await BuildAsync("xcat-extra", null, "/usr/share/xcat-extra/note", "an other package", extra);
        // A comps group, so that "@xcat-core" in a pkglist has something to resolve.
        var comps = _directory.Combine("comps.xml");
        await File.WriteAllTextAsync(comps, """
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE comps PUBLIC "-//Red Hat, Inc.//DTD Comps info//EN" "comps.dtd">
            <comps>
              <group>
                <id>xcat-core</id>
                <name>xCAT core</name>
                <description>The test group.</description>
                <default>false</default>
                <uservisible>true</uservisible>
                <packagelist>
                  <packagereq type="mandatory">xcat-hello</packagereq>
                </packagelist>
              </group>
            </comps>
            """);
        (await ExternalTool.RunAsync("createrepo_c", ["-q", "-g", comps, baseOs])).EnsureSuccess();
        (await ExternalTool.RunAsync("createrepo_c", ["-q", extra])).EnsureSuccess();
    }

    public Task DisposeAsync()
    {
        _directory.Dispose();
        return Task.CompletedTask;
    }

    private async Task BuildAsync(string name, string? requires, string file, string contents, string destination)
    {
        var top = _directory.Combine("rpmbuild");
        System.IO.Directory.CreateDirectory(top);
        var spec = Path.Combine(top, name + ".spec");
        var directory = file[..file.LastIndexOf('/')];
        await File.WriteAllTextAsync(spec, string.Create(CultureInfo.InvariantCulture, $$"""
            Name: {{name}}
            Version: 1.0
            Release: 1
            Summary: {{name}} for the Xcat.Imaging tests
            License: MIT
            BuildArch: noarch
            {{(requires is null ? "" : "Requires: " + requires)}}
            %description
            A test package without scriptlets.
            %install
            mkdir -p %{buildroot}{{directory}}
            printf '%s\n' '{{contents}}' > %{buildroot}{{file}}
            %files
            {{file}}

            """));
        (await ExternalTool.RunAsync("rpmbuild",
        [
            "-bb", "--quiet", "--define", "_topdir " + top, "--define", "_rpmdir " + destination,
            "--define", "_build_name_fmt %%{NAME}-%%{VERSION}-%%{RELEASE}.%%{ARCH}.rpm", spec,
        ])).EnsureSuccess();
    }
}
