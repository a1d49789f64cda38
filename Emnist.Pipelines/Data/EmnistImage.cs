namespace Emnist.Pipelines.Data;

/// <summary>Geometry of an EMNIST image and the official orientation fix.</summary>
public static class EmnistImage
{
    /// <summary>Width and height in pixels.</summary>
    public const int Size = 28;

    /// <summary>Pixels per image.</summary>
    public const int PixelCount = Size * Size;

    /// <summary>
    /// Official files store every image transposed (column-major); this swaps rows and columns so the result is upright.
    /// The same operation turns an upright image back into the file's form.
    /// </summary>
    public static void Transpose(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        if (source.Length < PixelCount || destination.Length < PixelCount)
            throw new ArgumentException($"Images are {PixelCount} bytes.");
        if (source.Overlaps(destination)) throw new ArgumentException("Source and destination must not overlap.");
        for (var r = 0; r < Size; r++)
            for (var c = 0; c < Size; c++)
                destination[r * Size + c] = source[c * Size + r];
    }
}
