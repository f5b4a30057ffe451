namespace Xcat.Imaging.Cli.Verbs;

/// <summary>One xcatimg verb: declares its options, calls the library, renders the result.</summary>
internal interface IVerb
{
    string Name { get; }

    string Summary { get; }

    string Usage { get; }

    /// <summary>Declares the verb's options and positionals, each described, with its default.</summary>
    void Define(VerbSyntax syntax);

    Task<int> RunAsync(ParsedOptions options, CliContext context, CancellationToken cancellationToken);
}
