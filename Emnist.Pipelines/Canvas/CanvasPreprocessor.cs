using System.Buffers;
using Emnist.Pipelines.Data;
using SkiaSharp;

namespace Emnist.Pipelines.Canvas;

/// <summary>Limits and tuning of <see cref="CanvasPreprocessor"/>.</summary>
public sealed record CanvasPreprocessorOptions
{
    /// <summary>Largest accepted width × height, checked from the header before decoding (decompression bombs).</summary>
    public long MaxPixels { get; init; } = 16_000_000;

    /// <summary>Ink below this fraction of full intensity (after background removal) is treated as no ink at all.</summary>
    public double MinInkContrast { get; init; } = 0.15;

    /// <summary>Pixels at or above this fraction of the strongest ink define the character's bounding box.</summary>
    public double BoxThreshold { get; init; } = 0.02;

    /// <summary>Share of the 28-pixel side the box's longer side fills (EMNIST: 24 of 28, measured).</summary>
    public double BoxFill { get; init; } = 24.0 / 28;

}

/// <summary>The 28×28 image a model sees, or the news that there was no ink.</summary>
/// <param name="Pixels">784 bytes, upright, 0 = background, 255 = ink; empty when <paramref name="HasInk"/> is false.</param>
/// <param name="HasInk">False for an empty canvas: answer "no ink" rather than guess.</param>
/// <param name="SourceWidth">Decoded width.</param>
/// <param name="SourceHeight">Decoded height.</param>
public sealed record CanvasImage(byte[] Pixels, bool HasInk, int SourceWidth, int SourceHeight)
{
    /// <summary>The pixels as the model's float input (raw 0..255).</summary>
    public float[] ToModelInput()
    {
        var f = new float[EmnistImage.PixelCount];
        for (var i = 0; i < f.Length && i < Pixels.Length; i++) f[i] = Pixels[i];
        return f;
    }
}

/// <summary>
/// Brings a drawing of any size and polarity into EMNIST's form: ink map (opacity, or luminance against the
/// detected background), crop to the ink's bounding box, centre it in a square keeping the aspect ratio so that
/// its longer side spans 24 of the 28 pixels (EMNIST's measured framing), exact area-average down-sampling to
/// 28×28, intensities stretched to the full range. EMNIST's σ = 1 blur at 128-pixel scale is below a fifth of an
/// output pixel, so the area average stands in for it.
/// </summary>
public sealed class CanvasPreprocessor(CanvasPreprocessorOptions? options = null)
{
    private readonly CanvasPreprocessorOptions _options = options ?? new();


    /// <summary>Decodes and preprocesses an encoded image (PNG, JPEG, WebP, GIF, BMP).</summary>
    /// <exception cref="CanvasPreprocessingException">Empty, undecodable or too large.</exception>
    public CanvasImage Process(ReadOnlySpan<byte> encoded)
    {
        if (encoded.IsEmpty) throw new CanvasPreprocessingException(CanvasProblem.Empty, "The image is empty (0 bytes).");
        using var data = SKData.CreateCopy(encoded);
        using var codec = SKCodec.Create(data)
            ?? throw new CanvasPreprocessingException(CanvasProblem.NotAnImage, "The body is not an image the decoder understands (PNG, JPEG, WebP, GIF or BMP).");
        var info = codec.Info;
        if ((long)info.Width * info.Height > _options.MaxPixels)
            throw new CanvasPreprocessingException(CanvasProblem.TooManyPixels,
                $"The image is {info.Width}×{info.Height} = {(long)info.Width * info.Height:N0} pixels; the limit is {_options.MaxPixels:N0}.");
        if (info.Width <= 0 || info.Height <= 0)
            throw new CanvasPreprocessingException(CanvasProblem.NotAnImage, "The image has no pixels.");

        var target = new SKImageInfo(info.Width, info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var bitmap = new SKBitmap(target);
        var result = codec.GetPixels(target, bitmap.GetPixels());
        if (result is not (SKCodecResult.Success or SKCodecResult.IncompleteInput) || result == SKCodecResult.IncompleteInput)
            throw new CanvasPreprocessingException(CanvasProblem.NotAnImage, $"The image could not be decoded ({result}); it may be truncated.");
        return FromRgba(bitmap.GetPixelSpan(), info.Width, info.Height);
    }

    /// <summary>Preprocesses raw unpremultiplied RGBA pixels.</summary>
    public CanvasImage FromRgba(ReadOnlySpan<byte> rgba, int width, int height)
    {
        // Per-request buffers come from the shared pools: a 280×280 canvas needs ~0.9 MB of float/double scratch.
        var ink = ArrayPool<float>.Shared.Rent(width * height);
        try
        {
            return FromInk(ink, InkMap(rgba, width, height, ink), width, height);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(ink);
        }
    }

    private CanvasImage FromInk(float[] ink, float max, int width, int height)
    {
        if (max < _options.MinInkContrast * 255) return new CanvasImage([], false, width, height);

        // Bounding box of clear ink (ignores faint noise and JPEG ringing).
        var threshold = (float)(max * _options.BoxThreshold);
        int x0 = width, y0 = height, x1 = -1, y1 = -1;
        for (var y = 0; y < height; y++)
        {
            var row = ink.AsSpan(y * width, width);
            for (var x = 0; x < width; x++)
            {
                if (row[x] < threshold) continue;
                if (x < x0) x0 = x;
                if (x > x1) x1 = x;
                if (y < y0) y0 = y;
                if (y > y1) y1 = y;
            }
        }
        var boxW = x1 - x0 + 1;
        var boxH = y1 - y0 + 1;
        var side = Math.Max(boxW, boxH);
        var frame = side / _options.BoxFill;
        var cx = (x0 + x1 + 1) / 2.0;
        var cy = (y0 + y1 + 1) / 2.0;

        var pixels = new byte[EmnistImage.PixelCount];
        AreaResample(ink, width, height, cx - frame / 2, cy - frame / 2, frame / EmnistImage.Size, max, pixels);
        Stretch(pixels);
        return new CanvasImage(pixels, true, width, height);
    }

    /// <summary>
    /// Ink intensity per pixel, 0..255. Transparent images: ink is opacity (stroke colour does not matter).
    /// Opaque images: distance of the luminance from the background, whose level is the median of the border.
    /// </summary>
    /// <returns>The strongest ink value.</returns>
    private static float InkMap(ReadOnlySpan<byte> rgba, int width, int height, float[] ink)
    {
        var n = width * height;
        var transparent = 0;
        for (var i = 0; i < n; i++) if (rgba[i * 4 + 3] < 128) transparent++;
        float max = 0;
        if (transparent > n / 20)
        {
            for (var i = 0; i < n; i++)
            {
                var v = ink[i] = rgba[i * 4 + 3];
                if (v > max) max = v;
            }
            return max;
        }

        var lum = ink; // luminance first, turned into ink in place below
        for (var i = 0; i < n; i++)
        {
            // Composite any partial transparency over white before reading the luminance.
            var a = rgba[i * 4 + 3] / 255f;
            var white = 255 * (1 - a);
            lum[i] = 0.299f * (rgba[i * 4] * a + white) + 0.587f * (rgba[i * 4 + 1] * a + white) + 0.114f * (rgba[i * 4 + 2] * a + white);
        }
        var borderCount = 2 * (width + height);
        var border = ArrayPool<float>.Shared.Rent(borderCount);
        float background;
        try
        {
            var k = 0;
            for (var x = 0; x < width; x++) { border[k++] = lum[x]; border[k++] = lum[(height - 1) * width + x]; }
            for (var y = 0; y < height; y++) { border[k++] = lum[y * width]; border[k++] = lum[y * width + width - 1]; }
            var span = border.AsSpan(0, borderCount);
            span.Sort();
            background = span[borderCount / 2];
        }
        finally
        {
            ArrayPool<float>.Shared.Return(border);
        }
        var darkInk = background >= 128;
        for (var i = 0; i < n; i++)
        {
            var v = darkInk ? background - lum[i] : lum[i] - background;
            ink[i] = v > 0 ? v : 0;
            if (ink[i] > max) max = ink[i];
        }
        return max;
    }

    /// <summary>
    /// Exact area-average down-sampling: each output pixel is the mean ink over its square footprint in the source
    /// (fractional edges included), read from a summed-area table. Sharper than mip-mapped filtering and it keeps
    /// the total ink, so thin and thick strokes keep their weight.
    /// </summary>
    private static void AreaResample(float[] ink, int width, int height, double left, double top, double step, float max, Span<byte> output)
    {
        // sat[(y)*(w+1)+x] = sum of ink over [0,x)×[0,y)
        var w1 = width + 1;
        var satLength = w1 * (height + 1);
        var sat = ArrayPool<double>.Shared.Rent(satLength);
        try
        {
            AreaResample(ink, sat, width, height, left, top, step, max, output);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(sat);
        }
    }

    private static void AreaResample(float[] ink, double[] sat, int width, int height, double left, double top, double step, float max, Span<byte> output)
    {
        var w1 = width + 1;
        sat.AsSpan(0, w1).Clear(); // row 0; column 0 is cleared row by row below
        for (var y = 0; y < height; y++)
        {
            double row = 0;
            sat[(y + 1) * w1] = 0;
            for (var x = 0; x < width; x++)
            {
                row += ink[y * width + x];
                sat[(y + 1) * w1 + x + 1] = sat[y * w1 + x + 1] + row;
            }
        }
        double Integral(double x, double y)
        {
            // Bilinear interpolation of the table = exact integral of the piecewise-constant image up to (x, y).
            x = Math.Clamp(x, 0, width);
            y = Math.Clamp(y, 0, height);
            var xi = Math.Min((int)x, width - 1);
            var yi = Math.Min((int)y, height - 1);
            double fx = x - xi, fy = y - yi;
            var a = sat[yi * w1 + xi];
            var b = sat[yi * w1 + xi + 1];
            var c = sat[(yi + 1) * w1 + xi];
            var d = sat[(yi + 1) * w1 + xi + 1];
            return a * (1 - fx) * (1 - fy) + b * fx * (1 - fy) + c * (1 - fx) * fy + d * fx * fy;
        }
        var area = step * step;
        for (var oy = 0; oy < EmnistImage.Size; oy++)
        {
            double y0 = top + oy * step, y1 = y0 + step;
            for (var ox = 0; ox < EmnistImage.Size; ox++)
            {
                double x0 = left + ox * step, x1 = x0 + step;
                var sum = Integral(x1, y1) - Integral(x0, y1) - Integral(x1, y0) + Integral(x0, y0);
                output[oy * EmnistImage.Size + ox] = (byte)Math.Clamp(Math.Round(sum / area * 255 / max), 0, 255);
            }
        }
    }

    private static void Stretch(Span<byte> pixels)
    {
        byte hi = 0;
        foreach (var p in pixels) if (p > hi) hi = p;
        if (hi is 0 or 255) return;
        for (var i = 0; i < pixels.Length; i++) pixels[i] = (byte)Math.Min(255, (pixels[i] * 255 + hi / 2) / hi);
    }
}
