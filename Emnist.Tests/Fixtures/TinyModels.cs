using Emnist.Pipelines.Data;
using Emnist.Pipelines.Model;
using Emnist.Training;
using Microsoft.ML;

namespace Emnist.Tests.Fixtures;

/// <summary>
/// Two tiny models trained once per test run on synthetic glyphs (seconds on a CPU), saved as model zips.
/// They stand in for the real model wherever a test needs "a model" rather than "the good model".
/// </summary>
public sealed class TinyModels : IDisposable
{
    private readonly TempDir _dir = new();

    public TinyModels()
    {
        var (images, labels) = Glyphs.Set(800, seed: 1);
        Data = new EmnistTrainingData(Glyphs.Labels, ToArrays(images, labels));
        (NetworkA, ZipA) = Train(seed: 1, "tiny-a.zip");
        (NetworkB, ZipB) = Train(seed: 2, "tiny-b.zip");
    }

    public EmnistTrainingData Data { get; }
    public TrainedNetwork NetworkA { get; }
    public TrainedNetwork NetworkB { get; }
    public string ZipA { get; }
    public string ZipB { get; }
    public string Folder => _dir.Path;

    internal static EmnistArrays ToArrays(IReadOnlyList<byte[]> images, IReadOnlyList<byte> labels) =>
        new([.. images.SelectMany(i => i)], [.. labels.Select(l => (int)l)], false);

    private (TrainedNetwork, string) Train(int seed, string name)
    {
        var options = new EmnistCnnTrainerOptions { Architecture = "tiny", Epochs = 3, BatchSize = 32, Seed = seed, Threads = 1, ValidationFraction = 0.1, MaxLearningRate = 5e-3 };
        var trained = EmnistCnnTrainer.Train(Data, options);
        var ml = new MLContext(seed);
        var info = new EmnistModelInfo { Name = Path.GetFileNameWithoutExtension(name), Split = "fixture", Labels = Glyphs.Labels, Architecture = "tiny", Seed = seed };
        var path = _dir.File(name);
        EmnistModel.FromOnnx(ml, EmnistModelExport.ToOnnx(trained), info).Save(ml, path);
        return (trained, path);
    }

    public void Dispose()
    {
        NetworkA.Dispose();
        NetworkB.Dispose();
        _dir.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class TinyModelCollection : ICollectionFixture<TinyModels>
{
    public const string Name = "tiny models";
}
