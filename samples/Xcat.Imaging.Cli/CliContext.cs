using Microsoft.Extensions.Logging;
using Xcat.Imaging.Catalog;

namespace Xcat.Imaging.Cli;

/// <summary>What a verb runs with: output streams, environment, the resolved catalog and site.</summary>
internal sealed class CliContext
{
    private IImageCatalog? _catalog;

    public required TextWriter Out { get; init; }

    public required TextWriter Error { get; init; }

    public required Func<string, string?> GetEnvironmentVariable { get; init; }

    public required string WorkingDirectory { get; init; }

    public required ILoggerFactory LoggerFactory { get; init; }

    /// <summary>Whether stderr is a terminal, so that progress bars are drawn.</summary>
    public bool IsTerminal { get; init; }

    /// <summary>Whether stdout is a terminal, so that data dumps escape control characters.</summary>
    public bool IsOutputTerminal { get; init; }

    public string? CatalogOption { get; set; }

    public string? InstallDirectoryOption { get; set; }

    /// <summary>--catalog, else XCATIMG_CATALOG, else a per-user data directory.</summary>
    public string CatalogPath
    {
        get
        {
            var path = CatalogOption ?? NonEmpty(GetEnvironmentVariable("XCATIMG_CATALOG"));
            if (path is null)
            {
                var dataHome = NonEmpty(GetEnvironmentVariable("XDG_DATA_HOME"))
                    ?? Path.Combine(NonEmpty(GetEnvironmentVariable("HOME")) ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
                path = Path.Combine(dataHome, "xcatimg", "catalog.db");
            }

            return Path.GetFullPath(path, WorkingDirectory);
        }
    }

    public async Task<IImageCatalog> GetCatalogAsync(CancellationToken cancellationToken)
    {
        _catalog ??= await SqliteImageCatalog.OpenAsync(CatalogPath, logger: LoggerFactory.CreateLogger<SqliteImageCatalog>(),
            cancellationToken: cancellationToken);
        return _catalog;
    }

    /// <summary>The catalog's site table, its install directory overridden by --install-dir, else XCATIMG_INSTALLDIR.</summary>
    public async Task<SiteSettings> GetSiteAsync(CancellationToken cancellationToken)
    {
        var site = await SiteSettings.ReadAsync(await GetCatalogAsync(cancellationToken), cancellationToken);
        var overridden = InstallDirectoryOption ?? NonEmpty(GetEnvironmentVariable("XCATIMG_INSTALLDIR"));
        return overridden is null ? site : site.WithInstallDirectory(Path.GetFullPath(overridden, WorkingDirectory));
    }

    /// <summary>A copy with other streams, working directory, catalog or install directory.</summary>
    public CliContext With(TextWriter? error = null, string? workingDirectory = null, string? catalog = null, string? installDirectory = null) => new()
    {
        Out = Out,
        Error = error ?? Error,
        GetEnvironmentVariable = GetEnvironmentVariable,
        WorkingDirectory = workingDirectory ?? WorkingDirectory,
        LoggerFactory = LoggerFactory,
        IsTerminal = IsTerminal,
        IsOutputTerminal = IsOutputTerminal,
        CatalogOption = catalog ?? CatalogOption,
        InstallDirectoryOption = installDirectory ?? InstallDirectoryOption,
    };

    public string ResolvePath(string path) => Path.GetFullPath(path, WorkingDirectory);

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
