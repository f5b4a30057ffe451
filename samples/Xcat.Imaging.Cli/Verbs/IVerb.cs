namespace Xcat.Imaging.Cli.Verbs;

/// <summary>One xcatimg verb: parses its options, calls the library, renders the result.</summary>
internal interface IVerb
{
    string Name { get; }

    string Summary { get; }

    string Usage { get; }

    Task<int> RunAsync(IReadOnlyList<string> args, CliContext context, CancellationToken cancellationToken);
}
