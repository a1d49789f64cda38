using BenchmarkDotNet.Running;
using Emnist.Benchmarks;

// dotnet run -c Release --project Emnist.Benchmarks -- --filter '*'            all micro-benchmarks
// dotnet run -c Release --project Emnist.Benchmarks -- --filter '*' --job dry   smoke run (seconds, no figures)
// dotnet run -c Release --project Emnist.Benchmarks -- load --url http://127.0.0.1:5000   HTTP load run
// dotnet run -c Release --project Emnist.Benchmarks -- latency                           p50/p99 per prediction
// dotnet run -c Release --project Emnist.Benchmarks -- canvas-png FILE                   the canvas PNG, for wrk/post-png.lua
if (args.Length > 0 && args[0] == "load") return await LoadTest.RunAsync(args[1..]);
if (args.Length > 0 && args[0] == "latency") return LatencyRun.Run(args[1..]);
if (args.Length > 1 && args[0] == "canvas-png")
{
    File.WriteAllBytes(args[1], BenchmarkAssets.CanvasPng());
    return 0;
}
// In process: TorchSharp finds libtorch (with the libstdc++ fix applied) only in this app's own output folder, which
// the projects BenchmarkDotNet generates for out-of-process runs do not carry.
if (!args.Any(a => a is "--inProcess" or "-i")) args = [.. args, "--inProcess"];
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
