using BenchmarkDotNet.Attributes;
using Emnist.Pipelines.Model;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Emnist.Benchmarks;

/// <summary>Batches of 1, 16 and 256 images: one engine in a loop vs ML.NET's Transform over an IDataView.</summary>
[MemoryDiagnoser]
public class BatchBenchmarks
{
    private readonly MLContext _ml = new();
    private EmnistModel _model = null!;
    private PredictionEngine<EmnistInput, EmnistOutput> _engine = null!;
    private EmnistInput[] _inputs = [];

    [Params(1, 16, 256)]
    public int BatchSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _model = EmnistModel.Load(_ml, BenchmarkAssets.ModelPath);
        _engine = _ml.Model.CreatePredictionEngine<EmnistInput, EmnistOutput>(_model.Transformer);
        var sample = BenchmarkAssets.SampleInput();
        _inputs = [.. Enumerable.Range(0, BatchSize).Select(_ => new EmnistInput { Pixels = (float[])sample.Clone() })];
    }

    [Benchmark(Baseline = true, Description = "engine loop")]
    public float EngineLoop()
    {
        var sum = 0f;
        foreach (var input in _inputs) sum += _engine.Predict(input).Probabilities[0];
        return sum;
    }

    [Benchmark(Description = "Transform over IDataView")]
    public float DataViewTransform()
    {
        var scored = _model.Transformer.Transform(_ml.Data.LoadFromEnumerable(_inputs));
        var sum = 0f;
        foreach (var p in scored.GetColumn<VBuffer<float>>(EmnistModel.ProbabilitiesColumn)) sum += p.GetValues()[0];
        return sum;
    }

    [GlobalCleanup]
    public void Cleanup() => _engine.Dispose();
}
