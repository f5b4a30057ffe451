using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Xcat.Imaging.Catalog;
using Xcat.Imaging.Definitions;

namespace Xcat.Imaging.Cli;

/// <summary>What a verb runs with: output streams, environment, the resolved catalog and site.</summary>
internal sealed class CliContext
{
    // SQLite's result codes (sqlite3.h): SQLITE_READONLY, SQLITE_CANTOPEN.
    internal const int ReadOnlyError = 8;
    internal const int CantOpenError = 14;

    private IImageCatalog? _catalog;

    public required TextWriter Out { get; init; }

    public required TextWriter Error { get; init; }

    public required Func<string, string?> GetEnvironmentVariable { get; init; }

    public required string WorkingDirectory { get; init; }

    public required ILoggerFactory LoggerFactory { get; init; }

    /// <summary>Where the library's warnings wait for the verb's outcome; none in tests that log nowhere.</summary>
    public CliLoggerProvider? Logs { get; init; }

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
        if (_catalog is not null)
        {
            return _catalog;
        }

        var path = CatalogPath;
        var shown = DisplayText.Escape(path);
        if (Directory.Exists(path))
        {
            throw new IOException($"The catalog '{shown}' is a directory, not a database file.");
        }

        var logger = LoggerFactory.CreateLogger<SqliteImageCatalog>();
        var options = new SqliteImageCatalogOptions();
        try
        {
            _catalog = await SqliteImageCatalog.OpenAsync(path, options, logger: logger, cancellationToken: cancellationToken);
        }
        catch (Exception ex) when (File.Exists(path) && ex is SqliteException { SqliteErrorCode: ReadOnlyError or CantOpenError } or UnauthorizedAccessException)
        {
            // A shared catalog this user may read but not write: reading verbs work, a change is refused when it is made.
            options.ReadOnly = true;
            _catalog = await SqliteImageCatalog.OpenAsync(path, options, logger: logger, cancellationToken: cancellationToken);
            IsCatalogReadOnly = true;
        }
        catch (Exception ex) when (!File.Exists(path) && ex is SqliteException { SqliteErrorCode: CantOpenError } or UnauthorizedAccessException or IOException)
        {
            var reason = ex is IOException ? "its directory cannot be created" : "its directory is not writable";
            throw new IOException($"Cannot create the catalog '{shown}': {reason}.", ex);
        }

        return _catalog;
    }

    /// <summary>The catalog's site table, its install directory overridden by --install-dir, else XCATIMG_INSTALLDIR.</summary>
    public async Task<SiteSettings> GetSiteAsync(CancellationToken cancellationToken)
    {
        var site = await (await GetCatalogAsync(cancellationToken)).ReadSiteSettingsAsync(cancellationToken);
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
        Logs = Logs,
        IsTerminal = IsTerminal,
        IsOutputTerminal = IsOutputTerminal,
        CatalogOption = catalog ?? CatalogOption,
        InstallDirectoryOption = installDirectory ?? InstallDirectoryOption,
    };

    /// <summary>Whether the catalog was opened read-only because this user may not write it.</summary>
    public bool IsCatalogReadOnly { get; private set; }

    public string ResolvePath(string path) => Path.GetFullPath(path, WorkingDirectory);

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
