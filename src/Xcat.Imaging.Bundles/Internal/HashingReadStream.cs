using System.Security.Cryptography;

namespace Xcat.Imaging.Bundles.Internal;

/// <summary>A read-only pass-through that counts, and unless told otherwise hashes (SHA-256), everything read through it.</summary>
internal sealed class HashingReadStream(Stream inner, Action<long>? onRead = null, bool hash = true) : Stream
{
    private readonly IncrementalHash? _hash = hash ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;

    public long BytesRead { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => inner.Length;

    public override long Position
    {
        get => BytesRead;
        set => throw new NotSupportedException();
    }

    /// <summary>Returns the lowercase hex SHA-256 of the bytes read so far and resets the hash.</summary>
    public string FinishHash() => Convert.ToHexStringLower(_hash!.GetHashAndReset());

    /// <summary>Returns the SHA-256 of the bytes read so far and resets the hash.</summary>
    public Sha256Value FinishDigest() => Sha256Value.From(_hash!.GetHashAndReset());

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        Observe(buffer[..read]);
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Observe(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash?.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Observe(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        _hash?.AppendData(data);
        BytesRead += data.Length;
        onRead?.Invoke(data.Length);
    }
}
