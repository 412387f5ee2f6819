using BenchmarkDotNet.Running;

// dotnet run -c Release --project host-tools/TimingMat.Benchmarks -- --filter '*'      (all)
// dotnet run -c Release --project host-tools/TimingMat.Benchmarks -- --list flat        (names)
// dotnet run -c Release --project host-tools/TimingMat.Benchmarks -- uplink drain|latency   (real units on emulated start lines, real Mosquitto, wall clock)
if (args.Length > 0 && args[0] == "uplink")
{
    return TimingMat.Benchmarks.Uplink.UplinkMeasurements.Run(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
