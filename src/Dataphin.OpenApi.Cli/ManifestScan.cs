using System.Security.Cryptography;
using Dataphin.OpenApi.Bulk;

namespace Dataphin.OpenApi.Cli;

/// <summary>
/// A first pass over a manifest before anything is sent: the SHA-256 of its bytes (its identity for the journal), how
/// many items it holds (so that the summary can count the items never reached), and the add-only properties a delete
/// will ignore.
/// </summary>
internal sealed class ManifestScan
{
    private ManifestScan(string sha256, long items, long bytes, LineageManifestException? structureError, IReadOnlyDictionary<string, long> ignored)
    {
        Sha256 = sha256;
        Items = items;
        Bytes = bytes;
        StructureError = structureError;
        IgnoredProperties = ignored;
    }

    public string Sha256 { get; }

    /// <summary>The items, or the items before the structure broke off.</summary>
    public long Items { get; }

    public long Bytes { get; }

    public LineageManifestException? StructureError { get; }

    /// <summary>Each ignored property and on how many items.</summary>
    public IReadOnlyDictionary<string, long> IgnoredProperties { get; }

    public static async Task<ManifestScan> ReadAsync(string path, LineageManifestOperation operation, LineageManifestFormat format, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true);
        await using (file.ConfigureAwait(false))
        {
            var hashing = new HashingStream(file, hash);
            long items = 0;
            LineageManifestException? error = null;
            var ignored = new SortedDictionary<string, long>(StringComparer.Ordinal);
            if (file.Length > 0)
            {
                try
                {
                    await foreach (var item in LineageManifestReader.ReadAsync(hashing, format, operation, cancellationToken).ConfigureAwait(false))
                    {
                        items++;
                        foreach (var name in item.IgnoredProperties)
                        {
                            ignored[name] = ignored.TryGetValue(name, out var count) ? count + 1 : 1;
                        }
                    }
                }
                catch (LineageManifestException broken)
                {
                    error = broken;
                }
            }

            // The readers stop at the end of the structure; whatever follows belongs to the file's identity too.
            var rest = new byte[64 * 1024];
            while (await hashing.ReadAsync(rest, cancellationToken).ConfigureAwait(false) > 0)
            {
            }

            return new ManifestScan(Convert.ToHexStringLower(hash.GetHashAndReset()), items, file.Length, error, ignored);
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
