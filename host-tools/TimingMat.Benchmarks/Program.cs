using BenchmarkDotNet.Running;

// dotnet run -c Release --project host-tools/TimingMat.Benchmarks -- --filter '*'      (all)
// dotnet run -c Release --project host-tools/TimingMat.Benchmarks -- --list flat        (names)
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
