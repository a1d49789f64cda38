using Emnist.Pipelines.Data;
using SkiaSharp;

namespace Emnist.Benchmarks;

/// <summary>Inputs shared by the benchmarks: a drawn 280×280 canvas PNG and the default model.</summary>
internal static class BenchmarkAssets
{
    public static string ModelPath => Path.Combine(RepoRoot(), "models", "emnist-byclass.zip");

    /// <summary>A "7" drawn with round strokes, as the page sends it.</summary>
    public static byte[] CanvasPng()
    {
        using var surface = SKSurface.Create(new SKImageInfo(280, 280));
        surface.Canvas.Clear(SKColors.White);
        using var paint = new SKPaint { Color = SKColors.Black, StrokeWidth = 18, IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeCap = SKStrokeCap.Round };
        surface.Canvas.DrawLine(70, 60, 210, 60, paint);
        surface.Canvas.DrawLine(210, 60, 125, 235, paint);
        using var image = surface.Snapshot();
        return image.Encode(SKEncodedImageFormat.Png, 100).ToArray();
    }

    public static float[] SampleInput()
    {
        var pixels = new Emnist.Pipelines.Canvas.CanvasPreprocessor().Process(CanvasPng()).Pixels;
        return [.. pixels.Select(p => (float)p)];
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MlNetEmnist.sln"))) dir = dir.Parent;
        return dir?.FullName ?? Directory.GetCurrentDirectory();
    }

    public static int PixelCount => EmnistImage.PixelCount;
}
