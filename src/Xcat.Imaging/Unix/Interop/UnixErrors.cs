using System.Runtime.InteropServices;

namespace Xcat.Imaging.Unix.Interop;

/// <summary>Turns an <c>errno</c> into the BCL exception the .NET file APIs would throw, naming the path.</summary>
internal static class UnixErrors
{
    public static Exception Create(int errno, string operation, string path, bool parentExists = true)
    {
        var text = $"{operation}: {Marshal.GetPInvokeErrorMessage(errno)}";
        var shown = DisplayText.Escape(path);
        return errno switch
        {
            LibC.ENoEnt when parentExists => new FileNotFoundException($"Could not find file '{shown}' ({text}).", path),
            LibC.ENoEnt or LibC.ENotDir => new DirectoryNotFoundException($"Could not find a part of the path '{shown}' ({text})."),
            LibC.EAcces or LibC.EPerm => new UnauthorizedAccessException($"Access to the path '{shown}' is denied ({text})."),
            _ => new IOException($"'{shown}': {text}.", errno),
        };
    }
}
