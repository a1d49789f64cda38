using BenchmarkDotNet.Running;

// dotnet run -c Release --project Emnist.Benchmarks -- --filter '*'          (full run)
// dotnet run -c Release --project Emnist.Benchmarks -- --filter '*' --job dry (smoke run)
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
