using System.Buffers.Binary;
using System.IO.Compression;
using Emnist.Pipelines.Data;

namespace Emnist.Tests.Fixtures;

/// <summary>Writes tiny EMNIST-format fixtures (official transposed layout) for tests.</summary>
internal static class IdxWriter
{
    public static void WriteImages(string path, IReadOnlyList<byte[]> uprightImages, bool gzip = true, int magic = 2051)
    {
        using var output = Open(path, gzip);
        Span<byte> header = stackalloc byte[16];
        BinaryPrimitives.WriteInt32BigEndian(header, magic);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], uprightImages.Count);
        BinaryPrimitives.WriteInt32BigEndian(header[8..], 28);
        BinaryPrimitives.WriteInt32BigEndian(header[12..], 28);
        output.Write(header);
        var transposed = new byte[EmnistImage.PixelCount];
        foreach (var img in uprightImages)
        {
            EmnistImage.Transpose(img, transposed); // upright → the file's column-major form
            output.Write(transposed);
        }
    }

    public static void WriteLabels(string path, IReadOnlyList<byte> labels, bool gzip = true)
    {
        using var output = Open(path, gzip);
        Span<byte> header = stackalloc byte[8];
        BinaryPrimitives.WriteInt32BigEndian(header, 2049);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], labels.Count);
        output.Write(header);
        output.Write(labels.ToArray());
    }

    public static void WriteMapping(string path, IReadOnlyList<string> labels, int first = 0) =>
        File.WriteAllText(path, string.Concat(labels.Select((l, i) => $"{i + first} {string.Join(' ', l.Select(c => (int)c))}\r\n")));

    /// <summary>Writes a complete split part (images, labels, mapping) into <paramref name="dir"/>.</summary>
    public static void WritePart(string dir, EmnistSplit split, EmnistPart part, IReadOnlyList<byte[]> images, IReadOnlyList<byte> labels, IReadOnlyList<string> mapping, bool gzip = true)
    {
        Directory.CreateDirectory(dir);
        var ext = gzip ? ".gz" : "";
        WriteImages(Path.Combine(dir, EmnistFileNames.Images(split, part) + ext), images, gzip);
        WriteLabels(Path.Combine(dir, EmnistFileNames.Labels(split, part) + ext), labels, gzip);
        WriteMapping(Path.Combine(dir, EmnistFileNames.Mapping(split)), mapping);
    }

    private static Stream Open(string path, bool gzip)
    {
        Stream file = File.Create(path);
        return gzip ? new GZipStream(file, CompressionLevel.Fastest) : file;
    }
}
