using Emnist.Pipelines.Data;
using Emnist.Pipelines.Model;
using Emnist.Tests.Fixtures;
using Emnist.Training;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Emnist.Tests.Training;

public sealed class EstimatorTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private IDataView Load(MLContext ml, EmnistPart part, int count, int seed)
    {
        var folder = Path.Combine(_dir.Path, part.ToString());
        var (images, labels) = Glyphs.Set(count, seed);
        IdxWriter.WritePart(folder, EmnistSplit.ByClass, part, images, labels, Glyphs.Labels);
        return ml.Data.LoadEmnist(folder, EmnistSplit.ByClass, part);
    }

    [Fact]
    public void Catalog_estimator_fits_on_LoadEmnist_data_and_scores_unseen_images()
    {
        var ml = new MLContext(1);
        var train = Load(ml, EmnistPart.Train, 600, seed: 41);
        var test = Load(ml, EmnistPart.Test, 120, seed: 42);
        var estimator = ml.MulticlassClassification.Trainers.EmnistCnn(new EmnistCnnTrainerOptions { Architecture = "tiny", Epochs = 3, BatchSize = 32, Threads = 1, MaxLearningRate = 5e-3 });

        var model = estimator.Fit(train);
        var outputSchema = model.GetOutputSchema(test.Schema);
        Assert.Equal(4, ((VectorDataViewType)outputSchema[EmnistModel.ProbabilitiesColumn].Type).Size);
        Assert.Equal(Glyphs.Labels, model.Model.Info.Labels);
        var scored = model.Transform(test);
        var labels = scored.GetColumn<uint>(EmnistDataCatalog.Columns.Label).ToArray();
        var probabilities = scored.GetColumn<VBuffer<float>>(EmnistModel.ProbabilitiesColumn).Select(v => v.DenseValues().ToArray()).ToArray();
        var accuracy = labels.Zip(probabilities).Count(t => Array.IndexOf(t.Second, t.Second.Max()) == t.First - 1) / (double)labels.Length;
        Assert.True(accuracy > 0.8, $"accuracy {accuracy:P1}");

        var path = _dir.File("fitted.zip");
        model.Model.Save(ml, path);
        Assert.Equal(Glyphs.Labels, EmnistModel.Load(new MLContext(), path).Info.Labels);
    }

    [Fact]
    public void Data_without_pixels_or_key_label_is_rejected_with_the_column_name()
    {
        var ml = new MLContext();
        var bad = ml.Data.LoadFromEnumerable(new[] { new { Label = 1f } });
        var estimator = ml.MulticlassClassification.Trainers.EmnistCnn(new EmnistCnnTrainerOptions { Architecture = "tiny", Epochs = 1 });
        var e = Assert.Throws<ArgumentException>(() => estimator.Fit(bad));
        Assert.Contains("Pixels", e.Message);
    }
}
