using System.Globalization;
using System.IO.Abstractions;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Xcat.Imaging.Schema;

namespace Xcat.Imaging.Catalog;

/// <summary>
/// An <see cref="IImageCatalog"/> in a SQLite database file that holds xCAT's tables under xCAT's names and columns,
/// so that <c>sqlite3</c> and xCAT's own tools read it. Every call opens its own connection; writes run in
/// <c>BEGIN IMMEDIATE</c> transactions in WAL mode with a busy timeout, so several processes can write at once.
/// </summary>
public sealed class SqliteImageCatalog : IImageCatalog
{
    private const string MetaTable = "xcatimg_meta";
    private readonly string _connectionString;
    private readonly ILogger _logger;
    private readonly int _busyTimeoutMilliseconds;

    private SqliteImageCatalog(string path, string connectionString, int busyTimeoutMilliseconds, ILogger logger)
    {
        _busyTimeoutMilliseconds = busyTimeoutMilliseconds;
        DatabasePath = path;
        _connectionString = connectionString;
        _logger = logger;
    }

    /// <summary>Gets the full path of the database file.</summary>
    public string DatabasePath { get; }

    /// <summary>
    /// Opens the catalog at <paramref name="path"/>, creating the file, its directory and any missing table or column,
    /// and giving a new catalog the rows xCAT's installation writes: the <c>site</c> table's <c>installdir</c> and
    /// <c>tftpdir</c> and the <c>xcatdefaults</c> postscripts. A new catalog defines no image, node or distribution.
    /// </summary>
    /// <param name="path">The database file.</param>
    /// <param name="options">Options; <see langword="null"/> for the defaults.</param>
    /// <param name="fileSystem">The file system used to create the directory; the real one when <see langword="null"/>.</param>
    /// <param name="logger">A logger; none when <see langword="null"/>.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The open catalog.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="InvalidDataException">The file exists but is not a SQLite database.</exception>
    /// <exception cref="FileNotFoundException"><see cref="SqliteImageCatalogOptions.ReadOnly"/> is set and the file does not exist.</exception>
    public static async Task<SqliteImageCatalog> OpenAsync(string path, SqliteImageCatalogOptions? options = null,
        IFileSystem? fileSystem = null, ILogger<SqliteImageCatalog>? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new SqliteImageCatalogOptions();
        fileSystem ??= new FileSystem();
        var fullPath = fileSystem.Path.GetFullPath(path);
        var directory = fileSystem.Path.GetDirectoryName(fullPath);
        if (options.ReadOnly && !fileSystem.File.Exists(fullPath))
        {
            throw new FileNotFoundException($"The catalog '{fullPath}' does not exist, so it cannot be opened read-only.", fullPath);
        }

        if (!options.ReadOnly && !string.IsNullOrEmpty(directory))
        {
            fileSystem.Directory.CreateDirectory(directory);
        }

        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = options.ReadOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds),
        };
        var catalog = new SqliteImageCatalog(fullPath, builder.ToString(), (int)options.BusyTimeout.TotalMilliseconds,
            (ILogger?)logger ?? NullLogger.Instance);
        try
        {
            await Task.Run(() => catalog.Initialize(options), cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException ex) when (options.ReadOnly && ex.SqliteErrorCode is 8 or 14)
        {
            // A WAL database in a directory this user cannot write has no -shm to share: SQLite reads it only as
            // immutable (sqlite.org, "WAL mode: read-only databases"); a concurrent writer's uncheckpointed rows are not seen.
            builder.DataSource = "file:" + string.Concat(fullPath.Select(static c => c is '%' or '?' or '#' ? $"%{(int)c:X2}" : c.ToString())) + "?immutable=1";
            catalog = new SqliteImageCatalog(fullPath, builder.ToString(), (int)options.BusyTimeout.TotalMilliseconds, (ILogger?)logger ?? NullLogger.Instance);
            await Task.Run(() => catalog.Initialize(options), cancellationToken).ConfigureAwait(false);
        }

        return catalog;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<CatalogRow>> ReadTableAsync(string table, CancellationToken cancellationToken = default)
    {
        var schema = XcatSchema.GetTable(table);
        cancellationToken.ThrowIfCancellationRequested();

        // Microsoft.Data.Sqlite executes synchronously even behind its async methods, so the work is done inline.
        using var connection = OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM {Quote(schema.Name)} ORDER BY rowid";
        using var reader = command.ExecuteReader();
        var rows = new List<CatalogRow>();
        while (reader.Read())
        {
            var values = new KeyValuePair<string, string?>[reader.FieldCount];
            for (var i = 0; i < reader.FieldCount; i++)
            {
                values[i] = new(reader.GetName(i), reader.IsDBNull(i) ? null : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture));
            }

            rows.Add(new CatalogRow(values));
        }

        return ValueTask.FromResult<IReadOnlyList<CatalogRow>>(rows);
    }

    /// <inheritdoc />
    public ValueTask ApplyAsync(CatalogChanges changes, CancellationToken cancellationToken = default)
    {
        CatalogChangeValidator.Validate(changes);
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = OpenConnection();
        using var transaction = connection.BeginTransaction(deferred: false);
        foreach (var change in changes.Items)
        {
            ApplyChange(connection, transaction, change);
        }

        cancellationToken.ThrowIfCancellationRequested();
        transaction.Commit();
        Log.CatalogChanged(_logger, DatabasePath, changes.Count);
        return ValueTask.CompletedTask;
    }

    private SqliteConnection OpenConnection()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            using var pragma = connection.CreateCommand();
            pragma.CommandText = $"PRAGMA busy_timeout = {_busyTimeoutMilliseconds.ToString(CultureInfo.InvariantCulture)};";
            pragma.ExecuteNonQuery();
            return connection;
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 26)
        {
            connection.Dispose();
            throw new InvalidDataException($"The catalog '{DatabasePath}' is not a SQLite database.", ex);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private void Initialize(SqliteImageCatalogOptions options)
    {
        using var connection = OpenConnection();
        if (options.ReadOnly)
        {
            // Read the schema once, so that a file that is not a catalog is refused now rather than at the first query.
            try
            {
                Execute(connection, null, "SELECT count(*) FROM sqlite_master");
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode == 26)
            {
                throw new InvalidDataException($"The catalog '{DatabasePath}' is not a SQLite database.", ex);
            }

            return;
        }

        try
        {
            Execute(connection, null, "PRAGMA journal_mode = WAL;");
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 26)
        {
            throw new InvalidDataException($"The catalog '{DatabasePath}' is not a SQLite database.", ex);
        }

        using var transaction = connection.BeginTransaction(deferred: false);
        Execute(connection, transaction, $"CREATE TABLE IF NOT EXISTS {MetaTable} (key TEXT NOT NULL PRIMARY KEY, value TEXT)");
        foreach (var schema in XcatSchema.Tables)
        {
            EnsureTable(connection, transaction, schema);
        }

        using var check = connection.CreateCommand();
        check.Transaction = transaction;
        check.CommandText = $"SELECT value FROM {MetaTable} WHERE key = 'seeded'";
        var seeded = check.ExecuteScalar() is not null;
        if (!seeded)
        {
            var initial = DefaultCatalog.CreateChanges();
            foreach (var change in initial.Items)
            {
                ApplyChange(connection, transaction, change);
            }

            Log.CatalogSeeded(_logger, DatabasePath, initial.Count);
            Execute(connection, transaction, $"INSERT INTO {MetaTable} (key, value) VALUES ('seeded', 'site')");
        }

        transaction.Commit();
    }

    private static void EnsureTable(SqliteConnection connection, SqliteTransaction transaction, TableSchema schema)
    {
        var sql = new StringBuilder();
        sql.Append("CREATE TABLE IF NOT EXISTS ").Append(Quote(schema.Name)).Append(" (");
        foreach (var column in schema.Columns)
        {
            sql.Append(Quote(column)).Append(schema.Keys.Contains(column) ? " TEXT NOT NULL, " : " TEXT, ");
        }

        sql.Append("PRIMARY KEY (").AppendJoin(", ", schema.Keys.Select(Quote)).Append("))");
        Execute(connection, transaction, sql.ToString());

        // A catalog made by an older version gains the columns added since.
        var existing = new HashSet<string>(StringComparer.Ordinal);
        using (var info = connection.CreateCommand())
        {
            info.Transaction = transaction;
            info.CommandText = $"PRAGMA table_info({Quote(schema.Name)})";
            using var reader = info.ExecuteReader();
            while (reader.Read())
            {
                existing.Add(reader.GetString(1));
            }
        }

        foreach (var column in schema.Columns.Where(c => !existing.Contains(c)))
        {
            Execute(connection, transaction, $"ALTER TABLE {Quote(schema.Name)} ADD COLUMN {Quote(column)} TEXT");
        }
    }

    private static void ApplyChange(SqliteConnection connection, SqliteTransaction transaction, CatalogChange change)
    {
        var schema = XcatSchema.GetTable(change.Table);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        var table = Quote(schema.Name);
        switch (change.Kind)
        {
            case CatalogChangeKind.DeleteAll:
                command.CommandText = $"DELETE FROM {table}";
                break;
            case CatalogChangeKind.Delete:
                command.CommandText = $"DELETE FROM {table} WHERE {KeyCondition(schema, command, change.Key!)}";
                break;
            case CatalogChangeKind.Insert:
            {
                var columns = change.Values!.Keys.ToList();
                command.CommandText = $"INSERT INTO {table} ({string.Join(", ", columns.Select(Quote))}) VALUES ({string.Join(", ", columns.Select((c, i) => Parameter(command, "v", i, change.Values![c])))})";
                try
                {
                    command.ExecuteNonQuery();
                }
                catch (SqliteException ex) when (ex.SqliteErrorCode == 19)
                {
                    var key = schema.Keys.ToDictionary(static k => k, k => change.Values![k]!, StringComparer.Ordinal);
                    throw new InvalidOperationException(InMemoryImageCatalog.DuplicateKeyMessage(schema, key), ex);
                }

                return;
            }

            case CatalogChangeKind.Upsert:
            {
                var values = change.Values!.Where(p => !schema.Keys.Contains(p.Key)).ToList();
                var columns = schema.Keys.Concat(values.Select(static p => p.Key)).ToList();
                var parameters = schema.Keys.Select((k, i) => Parameter(command, "k", i, change.Key![k]))
                    .Concat(values.Select((p, i) => Parameter(command, "v", i, p.Value)));
                var update = values.Count == 0
                    ? "DO NOTHING"
                    : "DO UPDATE SET " + string.Join(", ", values.Select(static p => $"{Quote(p.Key)} = excluded.{Quote(p.Key)}"));
                command.CommandText = $"INSERT INTO {table} ({string.Join(", ", columns.Select(Quote))}) VALUES ({string.Join(", ", parameters)}) ON CONFLICT ({string.Join(", ", schema.Keys.Select(Quote))}) {update}";
                break;
            }
        }

        command.ExecuteNonQuery();
    }

    private static string KeyCondition(TableSchema schema, SqliteCommand command, IReadOnlyDictionary<string, string> key)
        => string.Join(" AND ", schema.Keys.Select((k, i) => $"{Quote(k)} = {Parameter(command, "k", i, key[k])}"));

    private static string Parameter(SqliteCommand command, string prefix, int index, string? value)
    {
        var name = "$" + prefix + index.ToString(CultureInfo.InvariantCulture);
        command.Parameters.AddWithValue(name, string.IsNullOrEmpty(value) ? DBNull.Value : value);
        return name;
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
