using BenchmarkDotNet.Running;
using Emnist.Benchmarks;

// dotnet run -c Release --project Emnist.Benchmarks -- --filter '*'            all micro-benchmarks
// dotnet run -c Release --project Emnist.Benchmarks -- --filter '*' --job dry   smoke run (seconds, no figures)
// dotnet run -c Release --project Emnist.Benchmarks -- load --url http://127.0.0.1:5000   HTTP load run
if (args.Length > 0 && args[0] == "load") return await LoadTest.RunAsync(args[1..]);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
