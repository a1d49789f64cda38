using BenchmarkDotNet.Attributes;
using Emnist.Pipelines.Data;
using Emnist.Training;
using Emnist.Training.Network;
using TorchSharp;
using static TorchSharp.torch;

namespace Emnist.Benchmarks;

/// <summary>
/// Training throughput of the default architecture: the product's trainer (batches assembled from bytes, partial-label
/// loss, logit adjustment, one-cycle schedule, progress) against a bare TorchSharp loop over the same network on
/// tensors prepared in advance. One invocation is one pass over 1,024 images in batches of 128; the figures are per
/// image (OperationsPerInvoke), so images/s = 1 / mean.
/// </summary>
[MemoryDiagnoser]
public class TrainingBenchmarks
{
    private const int Images = 1024;
    private const int Batch = 128;
    private const int Classes = 62;
    private EmnistTrainingData _data = null!;
    private Tensor _x = null!;
    private Tensor _y = null!;

    [GlobalSetup]
    public void Setup()
    {
        // Random pixels: the content does not change the cost of a step.
        var random = new Random(1);
        var pixels = new byte[Images * EmnistImage.PixelCount];
        random.NextBytes(pixels);
        var classes = Enumerable.Range(0, Images).Select(_ => random.Next(Classes)).ToArray();
        _data = new EmnistTrainingData([.. Enumerable.Range(0, Classes).Select(i => $"c{i}")], new EmnistArrays(pixels, classes, false));
        torch.set_num_threads(Environment.ProcessorCount);
        _x = tensor(pixels.Select(b => (float)b).ToArray(), [Images, EmnistImage.PixelCount]);
        _y = tensor(classes.Select(c => (long)c).ToArray());
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Images, Description = "raw TorchSharp loop, cnn-885k")]
    public float RawLoop()
    {
        random.manual_seed(1);
        using var network = new EmnistCnn(Architectures.Get(Architectures.Default, Classes));
        network.train();
        using var optimizer = optim.AdamW(network.parameters(), lr: 2e-3, weight_decay: 0.05);
        var last = 0f;
        for (var start = 0; start < Images; start += Batch)
        {
            using var scope = NewDisposeScope();
            var loss = nn.functional.cross_entropy(network.forward(_x.narrow(0, start, Batch)), _y.narrow(0, start, Batch));
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            last = loss.item<float>();
        }
        return last;
    }

    [Benchmark(OperationsPerInvoke = Images, Description = "EmnistCnnTrainer.Train, cnn-885k, 1 epoch")]
    public int Trainer()
    {
        var options = new EmnistCnnTrainerOptions { Epochs = 1, BatchSize = Batch, ValidationFraction = 0, EarlyStoppingPatience = 0, Seed = 1 };
        using var trained = EmnistCnnTrainer.Train(_data, options);
        return trained.History.Count;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _x.Dispose();
        _y.Dispose();
    }
}
