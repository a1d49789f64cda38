using Emnist.Pipelines.Data;

namespace Emnist.Pipelines.Transforms;

/// <summary>Ranges of the random affine distortion used for training-time augmentation.</summary>
/// <param name="MaxRotationDegrees">Rotation drawn uniformly from ±this.</param>
/// <param name="MaxShiftPixels">Horizontal and vertical shift drawn from ±this.</param>
/// <param name="MinScale">Smallest scale factor.</param>
/// <param name="MaxScale">Largest scale factor.</param>
/// <param name="MaxShear">Horizontal shear factor drawn from ±this.</param>
public sealed record EmnistAugmentationOptions(
    double MaxRotationDegrees = 10,
    double MaxShiftPixels = 2,
    double MinScale = 0.9,
    double MaxScale = 1.1,
    double MaxShear = 0.15)
{
    /// <summary>Checks the ranges.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A range is negative or empty.</exception>
    public void Validate()
    {
        if (MaxRotationDegrees < 0 || MaxRotationDegrees > 180) throw new ArgumentOutOfRangeException(nameof(MaxRotationDegrees), MaxRotationDegrees, "must be in [0, 180]");
        if (MaxShiftPixels < 0 || MaxShiftPixels > 14) throw new ArgumentOutOfRangeException(nameof(MaxShiftPixels), MaxShiftPixels, "must be in [0, 14]");
        if (MinScale <= 0 || MaxScale < MinScale) throw new ArgumentOutOfRangeException(nameof(MinScale), MinScale, "need 0 < MinScale <= MaxScale");
        if (MaxShear < 0 || MaxShear > 1) throw new ArgumentOutOfRangeException(nameof(MaxShear), MaxShear, "must be in [0, 1]");
    }
}

/// <summary>Random affine distortion of one upright 28×28 image (bilinear sampling, background outside).</summary>
public static class EmnistAugmentation
{
    /// <summary>Writes a randomly distorted copy of <paramref name="source"/> into <paramref name="destination"/>.</summary>
    public static void Apply(ReadOnlySpan<byte> source, Span<byte> destination, EmnistAugmentationOptions options, Random random)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(random);
        double U(double max) => (random.NextDouble() * 2 - 1) * max;
        var angle = U(options.MaxRotationDegrees) * Math.PI / 180;
        var scale = options.MinScale + random.NextDouble() * (options.MaxScale - options.MinScale);
        var shear = U(options.MaxShear);
        var dx = U(options.MaxShiftPixels);
        var dy = U(options.MaxShiftPixels);

        // Forward map: p' = S·Sh·R·(p − c) + c + d. We sample the source at the inverse of each destination pixel.
        var cos = Math.Cos(angle); var sin = Math.Sin(angle);
        double a = scale * (cos + shear * sin), b = scale * (-sin + shear * cos);
        double c = scale * sin, d = scale * cos;
        var det = a * d - b * c;
        double ia = d / det, ib = -b / det, ic = -c / det, id = a / det;
        const double centre = (EmnistImage.Size - 1) / 2.0;
        for (var y = 0; y < EmnistImage.Size; y++)
        {
            for (var x = 0; x < EmnistImage.Size; x++)
            {
                double px = x - centre - dx, py = y - centre - dy;
                var sx = ia * px + ib * py + centre;
                var sy = ic * px + id * py + centre;
                destination[y * EmnistImage.Size + x] = Bilinear(source, sx, sy);
            }
        }
    }

    private static byte Bilinear(ReadOnlySpan<byte> img, double x, double y)
    {
        var x0 = (int)Math.Floor(x); var y0 = (int)Math.Floor(y);
        double fx = x - x0, fy = y - y0;
        var v = At(img, x0, y0) * (1 - fx) * (1 - fy) + At(img, x0 + 1, y0) * fx * (1 - fy)
              + At(img, x0, y0 + 1) * (1 - fx) * fy + At(img, x0 + 1, y0 + 1) * fx * fy;
        return (byte)Math.Clamp(Math.Round(v), 0, 255);
    }

    private static double At(ReadOnlySpan<byte> img, int x, int y) =>
        (uint)x < EmnistImage.Size && (uint)y < EmnistImage.Size ? img[y * EmnistImage.Size + x] : 0;
}
