using BenchmarkDotNet.Attributes;
using Emnist.Pipelines.Canvas;
using SkiaSharp;

namespace Emnist.Benchmarks;

/// <summary>Canvas PNG → 28×28 model input: the EMNIST-style pipeline against a plain decode-and-resize baseline.</summary>
[MemoryDiagnoser]
public class PreprocessingBenchmarks
{
    private byte[] _png = [];
    private readonly CanvasPreprocessor _preprocessor = new();

    [GlobalSetup]
    public void Setup() => _png = BenchmarkAssets.CanvasPng();

    [Benchmark(Baseline = true, Description = "decode + resize (seed page)")]
    public byte[] PlainResize()
    {
        using var bitmap = SKBitmap.Decode(_png);
        using var small = bitmap.Resize(new SKImageInfo(28, 28, SKColorType.Gray8), SKFilterQuality.None);
        return small.Bytes;
    }

    [Benchmark(Description = "decode only (the floor both share)")]
    public int DecodeOnly()
    {
        using var bitmap = SKBitmap.Decode(_png);
        return bitmap.Width;
    }

    [Benchmark(Description = "EMNIST-style preprocessing")]
    public byte[] EmnistStyle() => _preprocessor.Process(_png).Pixels;
}
