using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/Dataphin.OpenApi.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
