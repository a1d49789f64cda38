using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;
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

    /// <summary>
    /// Pixels at or above this fraction of the strongest ink define the character's bounding box. 1 % keeps the faint
    /// fringe that EMNIST's own bicubic down-sampling leaves around a character (measured on ByClass test images
    /// rendered as canvases: 1 % framed them closer to the originals than 2 %, 4 % or 8 %).
    /// </summary>
    public double BoxThreshold { get; init; } = 0.01;

    /// <summary>
    /// Share of the 28-pixel side the box's longer side fills. EMNIST centres the character's region in 24 of 28
    /// pixels; its blurred edges reach a little further, so measured on rendered test images 24.5 of 28 fits best.
    /// </summary>
    public double BoxFill { get; init; } = 24.5 / 28;

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
/// its longer side spans about 24 of the 28 pixels (EMNIST's framing, see the options), exact area-average down-sampling to
/// 28×28, intensities stretched to the full range. EMNIST's σ = 1 blur at 128-pixel scale is below a fifth of an
/// output pixel, so the area average stands in for it.
/// </summary>
public sealed class CanvasPreprocessor(CanvasPreprocessorOptions? options = null)
{
    private const int PooledDecodeBytes = 4 * 1024 * 1024;

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
        // Canvas-sized images decode into a pooled buffer (no native allocation per request); huge ones get their own.
        var pooled = target.BytesSize <= PooledDecodeBytes;
        var rgba = pooled ? ArrayPool<byte>.Shared.Rent(target.BytesSize) : new byte[target.BytesSize];
        try
        {
            SKCodecResult result;
            unsafe
            {
                fixed (byte* pixels = rgba) result = codec.GetPixels(target, (IntPtr)pixels);
            }
            if (result != SKCodecResult.Success)
                throw new CanvasPreprocessingException(CanvasProblem.NotAnImage, $"The image could not be decoded ({result}); it may be truncated.");
            return FromRgba(rgba.AsSpan(0, target.BytesSize), info.Width, info.Height);
        }
        finally
        {
            if (pooled) ArrayPool<byte>.Shared.Return(rgba);
        }
    }

    /// <summary>Preprocesses raw unpremultiplied RGBA pixels.</summary>
    /// <exception cref="ArgumentException">The buffer is smaller than width × height × 4 bytes.</exception>
    public CanvasImage FromRgba(ReadOnlySpan<byte> rgba, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        var n = width * height;
        if (rgba.Length < n * 4) throw new ArgumentException($"{width}×{height} RGBA needs {n * 4:N0} bytes; got {rgba.Length:N0}.", nameof(rgba));
        // One byte of ink per source pixel, from the shared pool: no per-request garbage.
        var ink = ArrayPool<byte>.Shared.Rent(n);
        try
        {
            var max = InkMap(rgba, width, height, ink.AsSpan(0, n));
            return FromInk(ink.AsSpan(0, n), max, width, height);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(ink);
        }
    }

    private CanvasImage FromInk(ReadOnlySpan<byte> ink, int max, int width, int height)
    {
        if (max < _options.MinInkContrast * 255) return new CanvasImage([], false, width, height);

        // Bounding box of clear ink (ignores faint noise and JPEG ringing); the range searches are vectorised.
        var threshold = (byte)Math.Clamp(Math.Ceiling(max * _options.BoxThreshold), 1, 255);
        int x0 = width, y0 = -1, x1 = -1, y1 = -1;
        for (var y = 0; y < height; y++)
        {
            var row = ink.Slice(y * width, width);
            var first = row.IndexOfAnyInRange(threshold, (byte)255);
            if (first < 0) continue;
            if (y0 < 0) y0 = y;
            y1 = y;
            x0 = Math.Min(x0, first);
            x1 = Math.Max(x1, row.LastIndexOfAnyInRange(threshold, (byte)255));
        }
        var side = Math.Max(x1 - x0 + 1, y1 - y0 + 1);
        var frame = side / _options.BoxFill;
        var left = (x0 + x1 + 1) / 2.0 - frame / 2;
        var top = (y0 + y1 + 1) / 2.0 - frame / 2;

        var pixels = new byte[EmnistImage.PixelCount];
        AreaResample(ink, width, height, left, top, frame / EmnistImage.Size, max, pixels);
        Stretch(pixels);
        return new CanvasImage(pixels, true, width, height);
    }

    /// <summary>
    /// Ink intensity per pixel, 0..255. Transparent images: ink is opacity (stroke colour does not matter).
    /// Opaque images: distance of the luminance from the background, whose level is the median of the border.
    /// </summary>
    /// <returns>The strongest ink value.</returns>
    private static int InkMap(ReadOnlySpan<byte> rgba, int width, int height, Span<byte> ink)
    {
        var n = width * height;
        var pixels = MemoryMarshal.Cast<byte, uint>(rgba[..(n * 4)]); // one RGBA pixel per uint (little-endian: A in the top byte)

        // Pass 1: luminance (composited over white) into the ink buffer, counting transparent pixels on the way;
        // 4 × Vector<uint> pixels at a time, narrowed to one Vector<byte> of luminance.
        var transparent = 0;
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var lanes = Vector<uint>.Count;
            var transparentLanes = Vector<uint>.Zero;
            for (; i <= n - 4 * lanes; i += 4 * lanes)
            {
                var low = Vector.Narrow(Luminance(new Vector<uint>(pixels[i..]), ref transparentLanes), Luminance(new Vector<uint>(pixels[(i + lanes)..]), ref transparentLanes));
                var high = Vector.Narrow(Luminance(new Vector<uint>(pixels[(i + 2 * lanes)..]), ref transparentLanes), Luminance(new Vector<uint>(pixels[(i + 3 * lanes)..]), ref transparentLanes));
                Vector.Narrow(low, high).CopyTo(ink[i..]);
            }
            transparent = (int)Vector.Sum(transparentLanes);
        }
        for (; i < n; i++)
        {
            var p = pixels[i];
            var a = p >> 24;
            if (a < 128) transparent++;
            ink[i] = (byte)Luminance(p & 0xFF, (p >> 8) & 0xFF, (p >> 16) & 0xFF, a);
        }

        if (transparent > n / 20)
        {
            for (var j = 0; j < n; j++) ink[j] = (byte)(pixels[j] >> 24);
            return Max(ink);
        }

        // Pass 2: ink = distance from the background level, saturating at 0 (vectorised: max(a, b) − b).
        var background = BorderMedian(ink, width, height);
        var level = new Vector<byte>((byte)background);
        var darkInk = background >= 128;
        var k = 0;
        for (; k <= n - Vector<byte>.Count; k += Vector<byte>.Count)
        {
            var lum = new Vector<byte>(ink[k..]);
            (darkInk ? Vector.Max(level, lum) - lum : Vector.Max(lum, level) - level).CopyTo(ink[k..]);
        }
        for (; k < n; k++) ink[k] = (byte)Math.Max(0, darkInk ? background - ink[k] : ink[k] - background);
        return Max(ink);
    }

    /// <summary>Luminance 0..255 (Rec. 601 weights in fixed point) after compositing any transparency over white.</summary>
    private static uint Luminance(uint r, uint g, uint b, uint a)
    {
        var lum = (77 * r + 150 * g + 29 * b + 128) >> 8;
        return DivideBy255Rounded(lum * a + 255 * (255 - a));
    }

    /// <summary>The same for packed RGBA lanes; counts lanes with alpha below one half into <paramref name="transparent"/>.</summary>
    private static Vector<uint> Luminance(Vector<uint> rgba, ref Vector<uint> transparent)
    {
        var byteMask = new Vector<uint>(0xFF);
        var a = rgba >> 24;
        transparent -= Vector.LessThan(a, new Vector<uint>(128)); // "true" lanes are all ones, i.e. −1
        var lum = ((rgba & byteMask) * 77u + ((rgba >> 8) & byteMask) * 150u + ((rgba >> 16) & byteMask) * 29u + new Vector<uint>(128)) >> 8;
        var x = lum * a + (byteMask - a) * 255u + new Vector<uint>(128);
        return (x + (x >> 8)) >> 8;
    }

    /// <summary>round(x / 255) for x in 0..65025, without a division.</summary>
    private static uint DivideBy255Rounded(uint x)
    {
        x += 128;
        return (x + (x >> 8)) >> 8;
    }

    private static int Max(ReadOnlySpan<byte> values)
    {
        var max = Vector<byte>.Zero;
        var k = 0;
        for (; k <= values.Length - Vector<byte>.Count; k += Vector<byte>.Count) max = Vector.Max(max, new Vector<byte>(values[k..]));
        byte result = 0;
        for (var i = 0; i < Vector<byte>.Count; i++) result = Math.Max(result, max[i]);
        for (; k < values.Length; k++) result = Math.Max(result, values[k]);
        return result;
    }

    /// <summary>Median of the outermost pixels' luminance, from a 256-bin histogram.</summary>
    private static int BorderMedian(ReadOnlySpan<byte> luminance, int width, int height)
    {
        Span<int> histogram = stackalloc int[256];
        for (var x = 0; x < width; x++)
        {
            histogram[luminance[x]]++;
            histogram[luminance[(height - 1) * width + x]]++;
        }
        for (var y = 0; y < height; y++)
        {
            histogram[luminance[y * width]]++;
            histogram[luminance[y * width + width - 1]]++;
        }
        var half = (2 * (width + height) + 1) / 2;
        for (int level = 0, seen = 0; level < 256; level++)
            if ((seen += histogram[level]) >= half) return level;
        return 255;
    }

    /// <summary>
    /// Exact area-average down-sampling of the square frame (left, top, 28·step wide) to 28×28: each output pixel is
    /// the mean ink over its footprint in the source, fractional edges included. Separable: every source row of the
    /// frame is first reduced to 28 column sums, then 28 rows are formed from those. Sharper than mip-mapped
    /// filtering, and it keeps the total ink, so thin and thick strokes keep their weight.
    /// </summary>
    private static void AreaResample(ReadOnlySpan<byte> ink, int width, int height, double left, double top, double step, int max, Span<byte> output)
    {
        const int size = EmnistImage.Size;
        var rowStart = Math.Max(0, (int)Math.Floor(top));
        var rowEnd = Math.Min(height, (int)Math.Ceiling(top + size * step));
        var rows = Math.Max(0, rowEnd - rowStart);
        var cols = Footprints.Rent(left, step, width);
        var lines = Footprints.Rent(top, step, height);
        var columnSums = ArrayPool<float>.Shared.Rent(Math.Max(1, rows * size));
        try
        {
            for (var r = 0; r < rows; r++)
            {
                var source = ink.Slice((rowStart + r) * width, width);
                var sums = columnSums.AsSpan(r * size, size);
                sums.Clear();
                // Most of a canvas is background: only cells that overlap this row's ink are summed (vectorised search).
                var first = source.IndexOfAnyExcept((byte)0);
                if (first < 0) continue;
                var last = source.LastIndexOfAnyExcept((byte)0);
                for (var o = 0; o < size; o++)
                    if (cols.Overlaps(o, first, last)) sums[o] = cols.Apply(o, source);
            }
            var scale = 255f / (float)(step * step * max);
            for (var oy = 0; oy < size; oy++)
            {
                var first = lines.First(oy) - rowStart;
                var weights = lines.Weights(oy);
                for (var ox = 0; ox < size; ox++)
                {
                    var sum = 0f;
                    for (var k = 0; k < weights.Length; k++)
                    {
                        var r = first + k;
                        sum += columnSums[r * size + ox] * weights[k];
                    }
                    output[oy * size + ox] = (byte)Math.Clamp(MathF.Round(sum * scale), 0, 255);
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(columnSums);
            cols.Return();
            lines.Return();
        }
    }

    /// <summary>For each of the 28 output cells along one axis: the source pixels it covers and how much of each.</summary>
    private readonly struct Footprints
    {
        private readonly int[] _first;   // first source pixel of cell o
        private readonly int[] _count;   // source pixels it covers
        private readonly int[] _offset;  // where its weights start in _weights
        private readonly float[] _weights;

        private Footprints(int[] first, int[] count, int[] offset, float[] weights) =>
            (_first, _count, _offset, _weights) = (first, count, offset, weights);

        public static Footprints Rent(double start, double step, int length)
        {
            const int size = EmnistImage.Size;
            var first = ArrayPool<int>.Shared.Rent(size);
            var count = ArrayPool<int>.Shared.Rent(size);
            var offset = ArrayPool<int>.Shared.Rent(size);
            var weights = ArrayPool<float>.Shared.Rent(size * ((int)Math.Ceiling(step) + 2));
            var used = 0;
            for (var o = 0; o < size; o++)
            {
                double a = start + o * step, b = a + step;
                var from = Math.Clamp((int)Math.Floor(a), 0, length);
                var to = Math.Min(length, (int)Math.Ceiling(b)); // exclusive
                first[o] = from;
                offset[o] = used;
                count[o] = Math.Max(0, to - from);
                for (var x = from; x < to; x++) weights[used++] = (float)(Math.Min(b, x + 1) - Math.Max(a, x));
            }
            return new Footprints(first, count, offset, weights);
        }

        public int First(int o) => _first[o];

        /// <summary>Whether cell <paramref name="o"/> covers any source pixel in [from, to].</summary>
        public bool Overlaps(int o, int from, int to) => _count[o] > 0 && _first[o] <= to && _first[o] + _count[o] - 1 >= from;

        public ReadOnlySpan<float> Weights(int o) => _weights.AsSpan(_offset[o], _count[o]);

        /// <summary>Weighted sum of one source line over cell <paramref name="o"/>.</summary>
        public float Apply(int o, ReadOnlySpan<byte> line)
        {
            var values = line.Slice(_first[o], _count[o]);
            var weights = _weights.AsSpan(_offset[o], _count[o]);
            var sum = 0f;
            for (var k = 0; k < values.Length; k++) sum += values[k] * weights[k];
            return sum;
        }

        public void Return()
        {
            ArrayPool<int>.Shared.Return(_first);
            ArrayPool<int>.Shared.Return(_count);
            ArrayPool<int>.Shared.Return(_offset);
            ArrayPool<float>.Shared.Return(_weights);
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
