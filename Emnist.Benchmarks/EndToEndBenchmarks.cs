using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Emnist.Pipelines;
using Emnist.Pipelines.Data;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Emnist.Benchmarks;

/// <summary>PNG bytes → JSON in process (what one API request does, minus HTTP), and IDataView read throughput.</summary>
[MemoryDiagnoser]
public class EndToEndBenchmarks
{
    private CharacterRecognizer _recognizer = null!;
    private byte[] _png = [];
    private string? _data;

    [GlobalSetup]
    public void Setup()
    {
        _recognizer = CharacterRecognizer.Load(BenchmarkAssets.ModelPath);
        _png = BenchmarkAssets.CanvasPng();
        var candidate = Environment.GetEnvironmentVariable(EmnistDataDirectory.EnvironmentVariable) ?? "../shared/emnist";
        _data = Directory.Exists(candidate) ? candidate : null;
    }

    [Benchmark(Description = "PNG → recognition → JSON")]
    public string PngToJson() => JsonSerializer.Serialize(_recognizer.Predict(_png));

    /// <summary>Reads the first 10,000 ByClass test rows (Label + Pixels) through the streaming IDataView.</summary>
    [Benchmark(Description = "IDataView: 10,000 ByClass test rows")]
    public long DataViewRead()
    {
        if (_data is null) return 0; // no data on this machine: nothing to measure
        var ml = new MLContext();
        var view = ml.Data.TakeRows(ml.Data.LoadEmnist(_data, EmnistSplit.ByClass, EmnistPart.Test), 10_000);
        long rows = 0;
        using var cursor = view.GetRowCursor(view.Schema);
        var pixels = cursor.GetGetter<VBuffer<float>>(view.Schema["Pixels"]);
        VBuffer<float> buffer = default;
        while (cursor.MoveNext()) { pixels(ref buffer); rows++; }
        return rows;
    }

    [GlobalCleanup]
    public void Cleanup() => _recognizer.Dispose();
}
