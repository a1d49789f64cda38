using System.Buffers.Binary;
using System.IO.Compression;

namespace Emnist.Pipelines.Data;

/// <summary>
/// Streams one IDX file (gzip or plain): the header is read on open, then one item at a time,
/// so a 550 MB image file is never held in memory twice.
/// </summary>
internal sealed class IdxFile : IDisposable
{
    public const int ImagesMagic = 2051;
    public const int LabelsMagic = 2049;

    private readonly Stream _stream;
    private long _offset;
    private int _read;

    private IdxFile(string path, Stream stream, int count, int rows, int cols, long headerBytes)
    {
        Path = path;
        _stream = stream;
        Count = count;
        Rows = rows;
        Cols = cols;
        _offset = headerBytes;
    }

    public string Path { get; }
    public int Count { get; }
    public int Rows { get; }
    public int Cols { get; }
    public int ItemSize => Rows * Cols;

    /// <summary>Opens an image file (magic 2051, three dimensions).</summary>
    public static IdxFile OpenImages(string path) => Open(path, ImagesMagic, dims: 3);

    /// <summary>Opens a label file (magic 2049, one dimension).</summary>
    public static IdxFile OpenLabels(string path) => Open(path, LabelsMagic, dims: 1);

    private static IdxFile Open(string path, int expectedMagic, int dims)
    {
        if (!File.Exists(path)) throw new EmnistFormatException(path, "file not found");
        var stream = OpenDecompressed(path);
        try
        {
            Span<byte> header = stackalloc byte[16];
            var headerBytes = 4 + 4 * dims;
            ReadHeader(path, stream, header[..headerBytes]);
            var magic = BinaryPrimitives.ReadInt32BigEndian(header);
            if (magic != expectedMagic)
            {
                var kind = expectedMagic == ImagesMagic ? "an IDX image file" : "an IDX label file";
                throw new EmnistFormatException(path, $"wrong magic number {magic} (0x{magic:X8}); expected {expectedMagic} for {kind}", 0);
            }
            var count = BinaryPrimitives.ReadInt32BigEndian(header[4..]);
            var rows = dims == 3 ? BinaryPrimitives.ReadInt32BigEndian(header[8..]) : 1;
            var cols = dims == 3 ? BinaryPrimitives.ReadInt32BigEndian(header[12..]) : 1;
            if (count < 0) throw new EmnistFormatException(path, $"negative item count {count}", 4);
            if (dims == 3 && (rows != 28 || cols != 28))
                throw new EmnistFormatException(path, $"images are {rows}x{cols}; EMNIST images are 28x28", 8);
            return new IdxFile(path, stream, count, rows, cols, headerBytes);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    private static Stream OpenDecompressed(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        Span<byte> sniff = stackalloc byte[2];
        var n = file.ReadAtLeast(sniff, 2, throwOnEndOfStream: false);
        file.Position = 0;
        // gzip members start with 1F 8B; anything else is read as a plain IDX file.
        if (n == 2 && sniff[0] == 0x1F && sniff[1] == 0x8B)
            return new BufferedStream(new GZipStream(file, CompressionMode.Decompress), 1 << 16);
        return file;
    }

    private static void ReadHeader(string path, Stream stream, Span<byte> header)
    {
        try
        {
            var n = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
            if (n < header.Length) throw new EmnistFormatException(path, $"file ends inside the {header.Length}-byte IDX header", n);
        }
        catch (InvalidDataException e)
        {
            throw new EmnistFormatException(path, "not a valid gzip stream: " + e.Message, 0, e);
        }
    }

    /// <summary>Byte offset (in the decompressed stream) of the next item.</summary>
    public long Offset => _offset;

    /// <summary>Reads the next item into <paramref name="destination"/> (length <see cref="ItemSize"/>).</summary>
    /// <returns>false once <see cref="Count"/> items were read.</returns>
    public bool TryReadNext(Span<byte> destination)
    {
        if (_read >= Count) return false;
        var size = ItemSize;
        try
        {
            var n = _stream.ReadAtLeast(destination[..size], size, throwOnEndOfStream: false);
            if (n < size)
                throw new EmnistFormatException(Path, $"file is truncated: item {_read} of {Count} is incomplete", _offset + n);
        }
        catch (InvalidDataException e)
        {
            throw new EmnistFormatException(Path, "corrupt gzip data: " + e.Message, _offset, e);
        }
        catch (EndOfStreamException e)
        {
            throw new EmnistFormatException(Path, $"file is truncated: item {_read} of {Count} is incomplete", _offset, e);
        }
        _offset += size;
        _read++;
        return true;
    }

    public void Dispose() => _stream.Dispose();
}
