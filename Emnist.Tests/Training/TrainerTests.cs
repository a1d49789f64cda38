using Emnist.Pipelines.Data;
using Emnist.Pipelines.Model;
using Emnist.Tests.Fixtures;
using Emnist.Training;
using Microsoft.ML;

namespace Emnist.Tests.Training;

[Collection(TinyModelCollection.Name)]
public sealed class TrainerTests(TinyModels models)
{
    private static float[] Floats(byte[] img) => [.. img.Select(b => (float)b)];

    [Fact]
    public void Tiny_training_learns_well_above_chance()
    {
        var (images, labels) = Glyphs.Set(200, seed: 99); // unseen images
        var probs = models.NetworkA.PredictProbabilities(images.SelectMany(Floats).ToArray(), images.Count);
        var correct = 0;
        for (var i = 0; i < images.Count; i++)
        {
            var row = probs.AsSpan(i * 4, 4);
            if (row.IndexOf(MaxOf(row)) == labels[i]) correct++;
        }
        Assert.True(correct / 200.0 > 0.8, $"accuracy {correct / 200.0:P1}; chance is 25 %");
        Assert.True(models.NetworkA.History.Last().ValidationAccuracy > 0.8);
    }

    private static float MaxOf(ReadOnlySpan<float> s) { var m = float.MinValue; foreach (var v in s) m = Math.Max(m, v); return m; }

    [Fact]
    public void Onnx_export_matches_TorchSharp_on_random_and_real_inputs()
    {
        var random = new Random(5);
        var inputs = new List<float[]>();
        for (var i = 0; i < 8; i++) inputs.Add([.. Enumerable.Range(0, 784).Select(_ => (float)random.Next(256))]);
        inputs.AddRange(Glyphs.Set(16, seed: 6).Images.Select(Floats));

        var expected = models.NetworkA.PredictProbabilities(inputs.SelectMany(x => x).ToArray(), inputs.Count);
        var ml = new MLContext();
        var model = EmnistModel.Load(ml, models.ZipA);
        using var engine = ml.Model.CreatePredictionEngine<EmnistInput, EmnistOutput>(model.Transformer);
        var maxDiff = 0.0;
        for (var i = 0; i < inputs.Count; i++)
        {
            var actual = engine.Predict(new EmnistInput { Pixels = inputs[i] }).Probabilities;
            for (var k = 0; k < 4; k++) maxDiff = Math.Max(maxDiff, Math.Abs(actual[k] - expected[i * 4 + k]));
        }
        Assert.True(maxDiff < 1e-4, $"max difference {maxDiff}");
    }

    [Fact]
    public void Ensemble_export_averages_the_members_probabilities()
    {
        var inputs = Glyphs.Set(12, seed: 13).Images.Select(Floats).ToList();
        var flat = inputs.SelectMany(x => x).ToArray();
        var a = models.NetworkA.PredictProbabilities(flat, inputs.Count);
        var b = models.NetworkB.PredictProbabilities(flat, inputs.Count);
        var ml = new MLContext();
        var info = new EmnistModelInfo { Labels = Glyphs.Labels };
        var ensemble = EmnistModel.FromOnnx(ml, EmnistModelExport.ToOnnx([models.NetworkA, models.NetworkB]), info);
        using var engine = ml.Model.CreatePredictionEngine<EmnistInput, EmnistOutput>(ensemble.Transformer);
        for (var i = 0; i < inputs.Count; i++)
        {
            var p = engine.Predict(new EmnistInput { Pixels = inputs[i] }).Probabilities;
            for (var k = 0; k < 4; k++) Assert.Equal((a[i * 4 + k] + b[i * 4 + k]) / 2, p[k], 4);
            Assert.Equal(1f, p.Sum(), 4);
        }
    }

    [Fact]
    public void Half_precision_weights_halve_the_size_and_keep_the_answers()
    {
        var full = EmnistModelExport.ToOnnx([models.NetworkA]);
        var half = EmnistModelExport.ToOnnx([models.NetworkA], halfPrecisionWeights: true);
        Assert.InRange(half.Length, full.Length * 0.45, full.Length * 0.6);
        var ml = new MLContext();
        var info = new EmnistModelInfo { Labels = Glyphs.Labels };
        using var a = ml.Model.CreatePredictionEngine<EmnistInput, EmnistOutput>(EmnistModel.FromOnnx(ml, full, info).Transformer);
        using var b = ml.Model.CreatePredictionEngine<EmnistInput, EmnistOutput>(EmnistModel.FromOnnx(ml, half, info).Transformer);
        foreach (var img in Glyphs.Set(24, seed: 14).Images)
        {
            var input = new EmnistInput { Pixels = Floats(img) };
            var pa = a.Predict(input).Probabilities;
            var pb = b.Predict(input).Probabilities;
            Assert.Equal(Array.IndexOf(pa, pa.Max()), Array.IndexOf(pb, pb.Max()));
            for (var k = 0; k < pa.Length; k++) Assert.Equal(pa[k], pb[k], 2);
        }
    }

    [Fact]
    public void Model_zip_round_trips_with_info_and_needs_no_TorchSharp()
    {
        var info = EmnistModel.ReadInfo(models.ZipA);
        Assert.Equal(Glyphs.Labels, info.Labels);
        Assert.Equal("tiny", info.Architecture);
        // The serving library must not depend on the training stack.
        var references = typeof(EmnistModel).Assembly.GetReferencedAssemblies().Select(a => a.Name);
        Assert.DoesNotContain(references, n => n!.Contains("Torch", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Same_seed_gives_the_same_model()
    {
        var options = new EmnistCnnTrainerOptions { Architecture = "tiny", Epochs = 1, BatchSize = 32, Seed = 7, Threads = 1, MaxTrainingImages = 200 };
        using var a = EmnistCnnTrainer.Train(models.Data, options);
        using var b = EmnistCnnTrainer.Train(models.Data, options);
        var x = Glyphs.Set(4, seed: 8).Images.SelectMany(Floats).ToArray();
        Assert.Equal(a.PredictProbabilities(x, 4), b.PredictProbabilities(x, 4));
    }

    [Fact]
    public void Cancellation_leaves_a_checkpoint_and_resume_finishes_the_run()
    {
        using var dir = new TempDir();
        var options = new EmnistCnnTrainerOptions { Architecture = "tiny", Epochs = 2, BatchSize = 16, Seed = 3, Threads = 1, CheckpointDirectory = dir.Path };
        using var cts = new CancellationTokenSource();
        var progress = new SyncProgress(p => { if (p.Epoch == 2 && p.Step > 1) cts.Cancel(); });
        Assert.ThrowsAny<OperationCanceledException>(() => EmnistCnnTrainer.Train(models.Data, options, progress, cts.Token));
        Assert.True(File.Exists(Path.Combine(dir.Path, "state.json")));
        Assert.True(File.Exists(Path.Combine(dir.Path, "weights.bin")));
        Assert.Contains("\"Epoch\":1", File.ReadAllText(Path.Combine(dir.Path, "state.json")));

        var epochsSeen = new List<int>();
        using var resumed = EmnistCnnTrainer.Train(models.Data, options with { Resume = true }, new SyncProgress(p => epochsSeen.Add(p.Epoch)));
        Assert.All(epochsSeen, e => Assert.Equal(2, e)); // epoch 1 was not trained again
        Assert.Equal(2, resumed.History.Count);
    }

    [Theory]
    [InlineData(0, 32, 0.05)]
    [InlineData(1, 0, 0.05)]
    [InlineData(1, 32, 0.9)]
    public void Bad_options_are_rejected(int epochs, int batch, double validation)
    {
        var options = new EmnistCnnTrainerOptions { Epochs = epochs, BatchSize = batch, ValidationFraction = validation };
        Assert.ThrowsAny<ArgumentException>(() => EmnistCnnTrainer.Train(models.Data, options));
    }

    [Fact]
    public void Unknown_architecture_is_rejected()
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => new EmnistCnnTrainerOptions { Architecture = "resnet-9000" }.Validate());
        Assert.Contains("cnn-885k", e.Message);
    }

    [Fact]
    public void Case_ambiguous_samples_train_with_both_twins_allowed()
    {
        // Labels where "L" has a lower-case twin "l": ambiguous "L" samples may be either.
        var labels = new[] { "0", "1", "L", "T", "l" };
        var (images, cls) = Glyphs.Set(200, seed: 11);
        var exact = TinyModels.ToArrays(images, cls);
        var ambiguous = new EmnistArrays([.. Glyphs.Set(40, seed: 12).Images.Where((_, i) => i % 4 == 2).SelectMany(i => i)], [.. Enumerable.Repeat(2, 10)], true);
        var data = new EmnistTrainingData(labels, exact, ambiguous, TargetPriors: [1, 1, 1, 1, 1]);
        Assert.Equal(4, data.CaseTwinOf(2));
        using var trained = EmnistCnnTrainer.Train(data, new EmnistCnnTrainerOptions { Architecture = "tiny", Epochs = 2, BatchSize = 16, Threads = 1 });
        Assert.Equal(5, trained.LogitAdjustment.Count);
        Assert.True(trained.History[^1].TrainAccuracy > 0.5);
    }

    [Fact]
    public void Distillation_follows_the_teacher_even_against_wrong_labels()
    {
        // Every label says "0": a student that learned from the labels would answer "0" for everything (25 %).
        var wrong = models.Data with { Exact = models.Data.Exact with { Classes = new int[models.Data.Exact.Count] } };
        var ml = new MLContext();
        var teacher = TeacherTargets.Compute(ml, EmnistModel.Load(ml, models.ZipA), wrong);
        Assert.Contains("tiny-a", teacher.Name);
        var options = new EmnistCnnTrainerOptions { Architecture = "tiny", Epochs = 3, BatchSize = 32, Seed = 5, Threads = 1, MaxLearningRate = 5e-3, DistillationWeight = 1 };
        using var student = EmnistCnnTrainer.Train(wrong with { Teacher = teacher }, options);

        var (images, labels) = Glyphs.Set(200, seed: 98);
        var probs = student.PredictProbabilities(images.SelectMany(Floats).ToArray(), images.Count);
        var correct = Enumerable.Range(0, images.Count).Count(i => probs.AsSpan(i * 4, 4).IndexOf(MaxOf(probs.AsSpan(i * 4, 4))) == labels[i]);
        Assert.True(correct / 200.0 > 0.8, $"student accuracy {correct / 200.0:P1}");
    }

    [Fact]
    public void A_teacher_with_other_classes_is_rejected()
    {
        var ml = new MLContext();
        var foreign = EmnistModel.FromOnnx(ml, EmnistModelExport.ToOnnx(models.NetworkA), new EmnistModelInfo { Name = "foreign", Labels = ["w", "x", "y", "z"] });
        var e = Assert.Throws<EmnistModelException>(() => TeacherTargets.Compute(ml, foreign, models.Data));
        Assert.Contains("classes", e.Message);
        Assert.ThrowsAny<ArgumentException>(() => new EmnistCnnTrainerOptions { DistillationWeight = 1.5 }.Validate());
    }

    /// <summary>Progress that reports synchronously (Progress&lt;T&gt; posts to the thread pool).</summary>
    private sealed class SyncProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
