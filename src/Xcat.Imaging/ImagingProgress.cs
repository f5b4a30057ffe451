namespace Xcat.Imaging;

/// <summary>
/// Progress of a long operation (pack, unpack, export, import, build), reported per entry and throttled to about ten
/// reports a second.
/// </summary>
/// <param name="Stage">What is being done: one of <see cref="ImagingStages"/>.</param>
/// <param name="CurrentPath">The entry being processed, as an image path, when there is one.</param>
/// <param name="ItemsDone">Entries done so far.</param>
/// <param name="ItemsTotal">Entries in all, when known.</param>
/// <param name="BytesDone">Bytes done so far.</param>
/// <param name="BytesTotal">Bytes in all, when known.</param>
public readonly record struct ImagingProgress(string Stage, string? CurrentPath, long ItemsDone, long? ItemsTotal, long BytesDone, long? BytesTotal);
