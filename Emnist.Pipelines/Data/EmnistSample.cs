namespace Emnist.Pipelines.Data;

/// <summary>One EMNIST image, upright, with its class.</summary>
/// <param name="Index">Row number in the file.</param>
/// <param name="Class">0-based class index in the split's mapping.</param>
/// <param name="Pixels">784 bytes, row-major, upright (0 = background, 255 = ink).</param>
/// <param name="IsCaseAmbiguous">True for samples whose case is unknown: the class is the upper-case letter,
/// the truth is it or its lower-case twin.</param>
public sealed record EmnistSample(int Index, int Class, byte[] Pixels, bool IsCaseAmbiguous);

/// <summary>A whole part loaded into two contiguous arrays (what a trainer wants).</summary>
/// <param name="Pixels">Count × 784 bytes, upright.</param>
/// <param name="Classes">Count class indices.</param>
/// <param name="IsCaseAmbiguous">Whether the samples' case is unknown (all or none, per part).</param>
public sealed record EmnistArrays(byte[] Pixels, int[] Classes, bool IsCaseAmbiguous)
{
    /// <summary>Number of samples.</summary>
    public int Count => Classes.Length;

    /// <summary>The pixels of sample <paramref name="i"/>.</summary>
    public ReadOnlySpan<byte> PixelsOf(int i) => Pixels.AsSpan(i * EmnistImage.PixelCount, EmnistImage.PixelCount);
}
