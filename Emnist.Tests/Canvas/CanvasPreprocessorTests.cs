using Emnist.Pipelines.Canvas;
using Emnist.Pipelines.Data;
using Emnist.Tests.Fixtures;
using SkiaSharp;

namespace Emnist.Tests.Canvas;

public sealed class CanvasPreprocessorTests
{
    private readonly CanvasPreprocessor _pre = new();
    private static readonly byte[] Glyph = Glyphs.L(thickness: 3);

    private byte[] Process(byte[] png)
    {
        var r = _pre.Process(png);
        Assert.True(r.HasInk);
        Assert.Equal(784, r.Pixels.Length);
        return r.Pixels;
    }

    [Fact]
    public void All_polarities_and_transparency_give_nearly_the_same_input()
    {
        var reference = Process(Png.Canvas(Glyph));                                                    // black on white
        var variants = new[]
        {
            Png.Canvas(Glyph, ink: SKColors.White, background: SKColors.Black),                      // white on black
            Png.Canvas(Glyph, ink: SKColors.Black, background: SKColors.Transparent),                // black on transparent
            Png.Canvas(Glyph, ink: SKColors.White, background: SKColors.Transparent),                // white on transparent
            Png.Canvas(Glyph, ink: new SKColor(20, 40, 160), background: new SKColor(250, 245, 230)), // blue on cream
        };
        foreach (var png in variants)
            Assert.True(Png.Correlation(reference, Process(png)) > 0.97);
    }

    [Fact]
    public void Position_and_size_do_not_matter()
    {
        var centred = Process(Png.Canvas(Glyph));
        var tinyInCorner = Process(Png.Canvas(Glyph, size: 280, scale: 3, offsetX: 190, offsetY: 190));
        var touchingEdges = Process(Png.Canvas(Glyph, size: 280, scale: 12, offsetX: -96, offsetY: -48));
        var otherCanvasSize = Process(Png.Canvas(Glyph, size: 600, scale: 15));
        Assert.True(Png.Correlation(centred, tinyInCorner) > 0.9);
        Assert.True(Png.Correlation(centred, touchingEdges) > 0.9);
        Assert.True(Png.Correlation(centred, otherCanvasSize) > 0.95);
    }

    [Fact]
    public void Result_is_centred_and_uses_the_full_range()
    {
        var px = Process(Png.Canvas(Glyph, scale: 4, offsetX: 10, offsetY: 150));
        Assert.Equal(255, px.Max());
        double sx = 0, sy = 0, sum = 0;
        for (var i = 0; i < 784; i++) { sx += (i % 28) * px[i]; sy += (i / 28) * px[i]; sum += px[i]; }
        // The ink's bounding box is centred, so its centre of mass is near the middle.
        Assert.InRange(sx / sum, 9, 18.5);
        Assert.InRange(sy / sum, 9, 18.5);
        // A border stays empty, as in EMNIST.
        Assert.All(Enumerable.Range(0, 28), x => Assert.True(px[x] < 40));
    }

    [Fact]
    public void Empty_canvases_are_no_ink()
    {
        var blank = new byte[784];
        Assert.False(_pre.Process(Png.Canvas(blank)).HasInk);
        Assert.False(_pre.Process(Png.Canvas(blank, background: SKColors.Transparent)).HasInk);
        Assert.False(_pre.Process(Png.Canvas(blank, background: SKColors.Black)).HasInk);
    }

    [Fact]
    public void Bad_bytes_are_typed_errors()
    {
        Assert.Equal(CanvasProblem.Empty, Assert.Throws<CanvasPreprocessingException>(() => _pre.Process([])).Problem);
        Assert.Equal(CanvasProblem.NotAnImage, Assert.Throws<CanvasPreprocessingException>(() => _pre.Process("hello"u8)).Problem);
        var png = Png.Canvas(Glyph);
        Assert.Equal(CanvasProblem.NotAnImage, Assert.Throws<CanvasPreprocessingException>(() => _pre.Process(png.AsSpan(0, png.Length / 3))).Problem);
    }

    [Fact]
    public void Huge_dimensions_are_refused_before_decoding()
    {
        var bomb = Png.HeaderOnly(20_000, 20_000);
        var e = Assert.Throws<CanvasPreprocessingException>(() => _pre.Process(bomb));
        Assert.Equal(CanvasProblem.TooManyPixels, e.Problem);
        Assert.Contains("20000×20000", e.Message);
    }

    [SkippableFact]
    public void Real_EMNIST_test_images_upscaled_to_a_canvas_come_back_close()
    {
        var dir = SharedData.Require();
        var files = EmnistDataDirectory.Open(dir).Find(EmnistSplit.ByClass, EmnistPart.Test)!;
        var arrays = EmnistReader.ReadAll(files, maxCount: 200);
        var correlations = Enumerable.Range(0, arrays.Count).Select(i =>
        {
            var original = Png.Upright(arrays, i);
            return Png.Correlation(original, Process(Png.Canvas(original)));
        }).OrderBy(c => c).ToArray();
        Assert.True(correlations[correlations.Length / 2] > 0.85, $"median correlation {correlations[correlations.Length / 2]:F3}");
    }
}
