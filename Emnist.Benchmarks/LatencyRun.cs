using System.Diagnostics;

namespace Emnist.Benchmarks;

/// <summary>
/// Per-call latency distribution of one prediction: raw ONNX Runtime on preallocated OrtValues against the pool, the
/// same calls <see cref="InferenceBenchmarks"/> measures. BenchmarkDotNet reports means of many calls per iteration,
/// which hides the tail; this times every call to get p50 and p99 as well.
/// Usage: dotnet run -c Release --project Emnist.Benchmarks -- latency [--calls 20000]
/// </summary>
internal static class LatencyRun
{
    public static int Run(string[] args)
    {
        var i = Array.IndexOf(args, "--calls");
        var calls = i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1]) : 20_000;
        var bench = new InferenceBenchmarks();
        bench.Setup();
        try
        {
            var raw = new List<double>(calls);
            var pool = new List<double>(calls);
            for (var w = 0; w < 500; w++) { bench.RawOnnxRuntime(); bench.Pool(); }
            // Alternate blocks so that a noisy moment on a shared machine hits both sides alike.
            const int block = 500;
            for (var done = 0; done < calls; done += block)
            {
                Time(bench.RawOnnxRuntime, raw, Math.Min(block, calls - done));
                Time(() => bench.Pool()[0], pool, Math.Min(block, calls - done));
            }
            var (rawP50, rawP99) = Percentiles(raw);
            var (poolP50, poolP99) = Percentiles(pool);
            Console.WriteLine($"| one prediction ({calls:N0} calls each) | p50 µs | p99 µs |");
            Console.WriteLine("|---|---:|---:|");
            Console.WriteLine($"| ONNX Runtime, preallocated OrtValues | {rawP50:F0} | {rawP99:F0} |");
            Console.WriteLine($"| PredictionEnginePool.Predict | {poolP50:F0} | {poolP99:F0} |");
            Console.WriteLine($"| ratio | {poolP50 / rawP50:F2} | {poolP99 / rawP99:F2} |");
            return 0;
        }
        finally
        {
            bench.Cleanup();
        }
    }

    private static void Time(Func<float> call, List<double> into, int count)
    {
        for (var k = 0; k < count; k++)
        {
            var start = Stopwatch.GetTimestamp();
            call();
            into.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
        }
    }

    private static (double P50, double P99) Percentiles(List<double> values)
    {
        values.Sort();
        return (values[values.Count / 2], values[(int)(values.Count * 0.99)]);
    }
}
