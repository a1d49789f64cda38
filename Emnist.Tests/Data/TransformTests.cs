using Emnist.Pipelines.Data;
using Emnist.Pipelines.Transforms;
using Emnist.Tests.Fixtures;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Emnist.Tests.Data;

public sealed class TransformTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private IDataView Fixture(MLContext ml)
    {
        var (images, labels) = Glyphs.Set(24, seed: 5);
        IdxWriter.WritePart(_dir.Path, EmnistSplit.ByClass, EmnistPart.Test, images, labels, Glyphs.Labels);
        return ml.Data.LoadEmnist(_dir.Path, EmnistSplit.ByClass, EmnistPart.Test);
    }

    private static float[][] Column(IDataView view, string name) =>
        [.. view.GetColumn<VBuffer<float>>(name).Select(v => v.DenseValues().ToArray())];

    [Fact]
    public void Normalisation_scales_bytes_to_unit_range_and_survives_save_and_load()
    {
        var ml = new MLContext();
        var data = Fixture(ml);
        var model = ml.Transforms.NormalizeEmnistPixels().Fit(data);
        var raw = Column(data, "Pixels");
        var normalised = Column(model.Transform(data), "NormalizedPixels");
        for (var i = 0; i < raw.Length; i++)
            for (var k = 0; k < 784; k++) Assert.Equal(raw[i][k] / 255f, normalised[i][k], 6);

        var path = _dir.File("normalise.zip");
        ml.Model.Save(model, data.Schema, path);
        var loader = new MLContext();
        loader.RegisterEmnistTransforms();
        var loaded = loader.Model.Load(path, out _);
        Assert.Equal(normalised, Column(loaded.Transform(data), "NormalizedPixels"));
    }

    [Fact]
    public void Augmentation_is_seeded_distorts_and_keeps_the_ink()
    {
        var ml = new MLContext();
        var data = Fixture(ml);
        var a = Column(ml.Transforms.AugmentEmnistPixels(seed: 1).Fit(data).Transform(data), "AugmentedPixels");
        var again = Column(new MLContext().Transforms.AugmentEmnistPixels(seed: 1).Fit(data).Transform(data), "AugmentedPixels");
        var other = Column(ml.Transforms.AugmentEmnistPixels(seed: 2).Fit(data).Transform(data), "AugmentedPixels");
        var raw = Column(data, "Pixels");
        Assert.Equal(a, again);
        Assert.NotEqual(a, other);
        Assert.NotEqual(raw, a);
        for (var i = 0; i < raw.Length; i++)
            Assert.InRange(a[i].Sum() / raw[i].Sum(), 0.6, 1.5); // a distortion, not a different image
    }

    [Fact]
    public void Augmentation_options_are_validated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MLContext().Transforms.AugmentEmnistPixels(new EmnistAugmentationOptions(MinScale: 1.2, MaxScale: 1.1)));
    }
}
