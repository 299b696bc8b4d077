using System.Security.Cryptography;
using Dataphin.OpenApi.Bulk;

namespace Dataphin.OpenApi.Cli;

/// <summary>
/// A first pass over a manifest before anything is sent: the SHA-256 of its bytes (its identity for the journal), how
/// many items it holds (so that the summary can count the items never reached), read cheaply (the items themselves
/// are not parsed, except in CSV).
/// </summary>
internal sealed class ManifestScan
{
    private ManifestScan(string sha256, long items, long bytes, LineageManifestException? structureError)
    {
        Sha256 = sha256;
        Items = items;
        Bytes = bytes;
        StructureError = structureError;
    }

    public string Sha256 { get; }

    /// <summary>The items; 0 when the structure broke off (the run then counts the items before the break).</summary>
    public long Items { get; }

    public long Bytes { get; }

    public LineageManifestException? StructureError { get; }

    public static async Task<ManifestScan> ReadAsync(string path, LineageManifestFormat format, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true);
        await using (file.ConfigureAwait(false))
        {
            var hashing = new HashingStream(file, hash);
            long items = 0;
            LineageManifestException? error = null;
            if (file.Length > 0)
            {
                try
                {
                    items = await LineageManifestReader.CountItemsAsync(hashing, format, cancellationToken).ConfigureAwait(false);
                }
                catch (LineageManifestException broken)
                {
                    // The run reads up to the break and reports it; the items it reads are the total then.
                    error = broken;
                }
            }

            // The readers stop at the end of the structure; whatever follows belongs to the file's identity too.
            var rest = new byte[64 * 1024];
            while (await hashing.ReadAsync(rest, cancellationToken).ConfigureAwait(false) > 0)
            {
            }

            return new ManifestScan(Convert.ToHexStringLower(hash.GetHashAndReset()), items, file.Length, error);
        }
    }

    /// <summary>Reads through to the inner stream, hashing every byte read.</summary>
    private sealed class HashingStream(Stream inner, IncrementalHash hash) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => inner.Length;

        public override long Position
        {
            get => inner.Position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = inner.Read(buffer, offset, count);
            hash.AppendData(buffer, offset, read);
            return read;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            hash.AppendData(buffer.Span[..read]);
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
    }
}
