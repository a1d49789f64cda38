using BenchmarkDotNet.Attributes;
using Emnist.Pipelines.Model;
using Emnist.Pipelines.Prediction;
using Microsoft.Extensions.Options;
using Microsoft.ML;
using Microsoft.ML.OnnxRuntime;
using System.IO.Compression;

namespace Emnist.Benchmarks;

/// <summary>One prediction: raw ONNX Runtime on preallocated OrtValues (the floor), a bare PredictionEngine, the pool.</summary>
[MemoryDiagnoser]
public class InferenceBenchmarks
{
    private PredictionEnginePool<EmnistInput, EmnistOutput> _pool = null!;
    private PredictionEngine<EmnistInput, EmnistOutput> _engine = null!;
    private InferenceSession _session = null!;
    private OrtValue _input = null!, _output = null!;
    private RunOptions _run = null!;
    private readonly EmnistInput _example = new();
    private readonly float[] _probabilities = new float[62];

    [GlobalSetup]
    public void Setup()
    {
        BenchmarkAssets.SampleInput().CopyTo(_example.Pixels, 0);
        var options = new PredictionEnginePoolOptions<EmnistInput, EmnistOutput>();
        options.Models[""] = new ModelFileSource(BenchmarkAssets.ModelPath, false);
        _pool = new PredictionEnginePool<EmnistInput, EmnistOutput>(Options.Create(options));
        var ml = new MLContext();
        _engine = ml.Model.CreatePredictionEngine<EmnistInput, EmnistOutput>(EmnistModel.Load(ml, BenchmarkAssets.ModelPath).Transformer);

        // The ONNX network exactly as stored inside the ML.NET zip.
        using var zip = ZipFile.OpenRead(BenchmarkAssets.ModelPath);
        var onnxEntry = zip.Entries.OrderByDescending(e => e.Length).First();
        using var ms = new MemoryStream();
        using (var s = onnxEntry.Open()) s.CopyTo(ms);
        var onnx = ExtractOnnx(ms.ToArray());
        _session = new InferenceSession(onnx); // default session options, as ML.NET uses them
        _input = OrtValue.CreateTensorValueFromMemory(_example.Pixels, [1, 784]);
        _output = OrtValue.CreateTensorValueFromMemory(_probabilities, [1, 62]);
        _run = new RunOptions();
    }

    // ML.NET stores the ONNX bytes behind a small binary header; the protobuf starts at the first 0x08 (ir_version tag).
    private static byte[] ExtractOnnx(byte[] entry)
    {
        for (var i = 0; i < Math.Min(entry.Length, 4096); i++)
        {
            if (entry[i] != 0x08) continue;
            try
            {
                var candidate = entry[i..];
                using var probe = new InferenceSession(candidate);
                return candidate;
            }
            catch (OnnxRuntimeException) { }
        }
        throw new InvalidDataException("No ONNX model found in the zip entry.");
    }

    [Benchmark(Baseline = true, Description = "ONNX Runtime, preallocated OrtValues")]
    public float RawOnnxRuntime()
    {
        _session.Run(_run, ["Pixels"], [_input], ["Probabilities"], [_output]);
        return _probabilities[0];
    }

    [Benchmark(Description = "bare PredictionEngine")]
    public float[] BareEngine() => _engine.Predict(_example).Probabilities;

    [Benchmark(Description = "PredictionEnginePool.Predict")]
    public float[] Pool() => _pool.Predict(_example).Probabilities;

    [GlobalCleanup]
    public void Cleanup()
    {
        _pool.Dispose();
        _engine.Dispose();
        _session.Dispose();
        _input.Dispose();
        _output.Dispose();
        _run.Dispose();
    }
}
