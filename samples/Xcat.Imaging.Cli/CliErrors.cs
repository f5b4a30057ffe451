using Microsoft.Data.Sqlite;

namespace Xcat.Imaging.Cli;

/// <summary>Words an exception as the one line a user reads: no parameter names, stack traces or SQLite codes.</summary>
internal static class CliErrors
{
    public static string Describe(Exception ex, CliContext context) => ex switch
    {
        SqliteException { SqliteErrorCode: CliContext.ReadOnlyError } =>
            $"The catalog '{DisplayText.Escape(context.CatalogPath)}' is read-only for this user: it can be read but not changed; " +
            "ask its owner, or give --catalog a catalog of your own.",
        SqliteException { SqliteErrorCode: CliContext.CantOpenError } =>
            $"Cannot open the catalog '{DisplayText.Escape(context.CatalogPath)}': it or its directory is not accessible to this user.",
        SqliteException sqlite => $"The catalog '{DisplayText.Escape(context.CatalogPath)}': {StripSqlitePrefix(sqlite.Message)}",
        _ => CliApplication.UserMessage(ex),
    };

    // "SQLite Error 5: 'database is locked'." -> "database is locked".
    private static string StripSqlitePrefix(string message)
    {
        var quote = message.IndexOf('\'', StringComparison.Ordinal);
        return message.StartsWith("SQLite Error", StringComparison.Ordinal) && quote > 0 && message.EndsWith("'.", StringComparison.Ordinal)
            ? message[(quote + 1)..^2] + "."
            : message;
    }
}
