using Xcat.Imaging.Cli.Verbs;

namespace Xcat.Imaging.Cli;

/// <summary>xcatimg: verbs that mirror xCAT's commands and option letters.</summary>
internal static class CliApplication
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int UsageError = 2;

    private static readonly IReadOnlyList<IVerb> s_verbs =
    [
        new DemoVerb(),
        new LsdefVerb(),
        new MkdefVerb(),
        new ChdefVerb(),
        new RmdefVerb(),
        new TabdumpVerb(),
        new TabrestoreVerb(),
        new PackimageVerb(),
        new PackVerb(),
        new UnpackVerb(),
        new InspectVerb(),
        new ImgexportVerb(),
        new ImgimportVerb(),
    ];

    public static IReadOnlyList<IVerb> Verbs => s_verbs;

    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken)
    {
        // Global options come before the verb: xcatimg [--catalog PATH] [--install-dir DIR] verb ...
        var index = 0;
        while (index < args.Length && args[index].StartsWith("--", StringComparison.Ordinal))
        {
            var arg = args[index];
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? arg : arg[..eq];
            if (name is "--help")
            {
                WriteUsage(context.Out);
                return Success;
            }

            if (name is "--version")
            {
                await context.Out.WriteAsync($"xcatimg {typeof(Catalog.IImageCatalog).Assembly.GetName().Version}\n");
                return Success;
            }

            if (name is not ("--catalog" or "--install-dir"))
            {
                await context.Error.WriteAsync($"Error: Unknown option '{arg}'.\n");
                WriteUsage(context.Error);
                return UsageError;
            }

            var value = eq >= 0 ? arg[(eq + 1)..] : (++index < args.Length ? args[index] : null);
            if (string.IsNullOrEmpty(value))
            {
                await context.Error.WriteAsync($"Error: The option '{name}' needs a value.\n");
                WriteUsage(context.Error);
                return UsageError;
            }

            if (name == "--catalog")
            {
                context.CatalogOption = value;
            }
            else
            {
                context.InstallDirectoryOption = value;
            }

            index++;
        }

        if (index >= args.Length)
        {
            WriteUsage(context.Error);
            return UsageError;
        }

        var verbName = args[index];
        var verb = s_verbs.FirstOrDefault(v => v.Name == verbName);
        if (verb is null)
        {
            await context.Error.WriteAsync($"Error: Unknown verb '{verbName}'.\n");
            WriteUsage(context.Error);
            return UsageError;
        }

        var verbArgs = args[(index + 1)..];
        if (verbArgs.Contains("-h") || verbArgs.Contains("--help"))
        {
            await context.Out.WriteAsync($"Usage: xcatimg {verb.Usage}\n");
            return Success;
        }

        try
        {
            return await verb.RunAsync(verbArgs, context, cancellationToken);
        }
        catch (UsageException ex)
        {
            await WriteErrorAsync(context, ex.Message);
            await context.Error.WriteAsync($"Usage: xcatimg {verb.Usage}\n");
            return UsageError;
        }
        catch (OperationCanceledException)
        {
            await WriteErrorAsync(context, "Cancelled.");
            return Failure;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or KeyNotFoundException or InvalidDataException
                                       or IOException or UnauthorizedAccessException or NotSupportedException or FormatException
                                       or TimeoutException or OverflowException)
        {
            await WriteErrorAsync(context, UserMessage(ex));
            return Failure;
        }
    }

    /// <summary>
    /// The message without what .NET appends for a programmer: " (Parameter 'name')" and "Actual value was ...". The
    /// user gave no parameter; the message itself names the option or attribute.
    /// </summary>
    public static string UserMessage(Exception ex)
    {
        var message = ex.Message;
        if (ex is ArgumentException { ParamName: { } name })
        {
            var suffix = message.IndexOf($" (Parameter '{name}')", StringComparison.Ordinal);
            if (suffix >= 0)
            {
                message = message[..suffix];
            }
        }

        return message;
    }

    public static async Task WriteErrorAsync(CliContext context, string message)
    {
        foreach (var line in message.Split('\n'))
        {
            // Library messages escape the names they quote; this keeps any other control character off the terminal.
            await context.Error.WriteAsync($"Error: {DisplayText.EscapeControlCharacters(line.TrimEnd('\r'))}\n");
        }
    }

    private static void WriteUsage(TextWriter writer)
    {
        writer.Write("Usage: xcatimg [--catalog PATH] [--install-dir DIR] <verb> [options]\n\nVerbs:\n");
        foreach (var verb in s_verbs)
        {
            writer.Write($"  {verb.Name,-11} {verb.Summary}\n");
        }

        writer.Write("\nThe catalog is --catalog, else $XCATIMG_CATALOG, else ~/.local/share/xcatimg/catalog.db;\n" +
                     "the install directory is --install-dir, else $XCATIMG_INSTALLDIR, else /install.\n" +
                     "Run 'xcatimg <verb> -h' for a verb's options.\n");
    }
}
