using BenchmarkDotNet.Running;

// Desktop throughput and allocation benchmarks of the core (BenchmarkDotNet). What the device's interpreter would
// spend, and the accuracy and wall-clock measurements, are `timingmat bench device|crossing|clock|lora|uplink`.
// dotnet run -c Release --project host-tools/TimingMat.Benchmarks -- --filter '*'      (all)
// dotnet run -c Release --project host-tools/TimingMat.Benchmarks -- --list flat        (names)
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
