using System.Runtime.InteropServices;

namespace Xcat.Imaging.Unix.Interop;

/// <summary>Turns an <c>errno</c> into the BCL exception the .NET file APIs would throw, naming the path.</summary>
internal static class UnixErrors
{
    public static Exception Create(int errno, string operation, string path, bool parentExists = true)
    {
        var text = $"{operation}: {Marshal.GetPInvokeErrorMessage(errno)}";
        return errno switch
        {
            LibC.ENoEnt when parentExists => new FileNotFoundException($"Could not find file '{path}' ({text}).", path),
            LibC.ENoEnt or LibC.ENotDir => new DirectoryNotFoundException($"Could not find a part of the path '{path}' ({text})."),
            LibC.EAcces or LibC.EPerm => new UnauthorizedAccessException($"Access to the path '{path}' is denied ({text})."),
            _ => new IOException($"'{path}': {text}.", errno),
        };
    }
}
