using System.Text;

namespace Xcat.Imaging.Building.Execution;

/// <summary>
/// One external command of an image build (debootstrap, dnf, zypper, apt-get, dracut, a postinstall script): the
/// program and its argv (no shell), its environment, and the image root it works on.
/// </summary>
/// <remarks>
/// A command with a <see cref="Root"/> runs in a private mount and PID namespace with <c>proc</c>, <c>sys</c>, a fresh
/// <c>dev</c> (a tmpfs holding only the standard nodes: the host's <c>/dev</c> is never bound, so nothing run in the
/// image can remove or change it, xCAT issue #1767) and <c>run</c> mounted under the root, plus <see cref="Binds"/>.
/// The mounts exist only in that namespace: when the command ends, or its parent is killed, they are gone.
/// </remarks>
/// <param name="FileName">The program: a path, or a name looked up in <c>PATH</c> (inside the root when <see cref="Chroot"/>).</param>
/// <param name="Arguments">The arguments, passed as argv.</param>
public sealed record BuildCommand(string FileName, IReadOnlyList<string> Arguments)
{
    /// <summary>Gets the variables set for the command on top of the runner's environment.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Gets the image root that is prepared (mounts) for the command, or <see langword="null"/> for a plain host command.</summary>
    public string? Root { get; init; }

    /// <summary>Gets whether the command runs chrooted into <see cref="Root"/> (else on the host, with the root prepared).</summary>
    public bool Chroot { get; init; }

    /// <summary>Gets host directories bound into <see cref="Root"/> for the command: package caches kept outside the image.</summary>
    public IReadOnlyList<BuildBind> Binds { get; init; } = [];

    /// <summary>Gets the working directory, or <see langword="null"/> for the runner's.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Gets the message that leads the error when the command fails (xCAT's, e.g. <c>RPM package manager invocation failed</c>).</summary>
    public string? FailureMessage { get; init; }

    /// <summary>Gets the command as one shell-quoted line: environment, chroot and argv, as a dry run shows it.</summary>
    /// <returns>The command line.</returns>
    public override string ToString()
    {
        var line = new StringBuilder();
        foreach (var (name, value) in Environment.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            line.Append(name).Append('=').Append(ShellQuoting.Quote(value)).Append(' ');
        }

        if (Chroot && Root is not null)
        {
            line.Append("chroot ").Append(ShellQuoting.Quote(Root)).Append(' ');
        }

        line.Append(ShellQuoting.Quote(FileName));
        foreach (var argument in Arguments)
        {
            line.Append(' ').Append(ShellQuoting.Quote(argument));
        }

        return line.ToString();
    }
}
