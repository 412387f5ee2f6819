using TimingMat.Bench.Device.Instrumentation;
using TimingMat.Bench.Device.Workloads;

namespace TimingMat.Bench.Device;

/// <summary>What <c>timingmat bench device</c> runs: the board's figures and which workloads.</summary>
/// <param name="Chips">Chip table size (board.cfg <c>crossings.chips</c>).</param>
/// <param name="ReaderBaud">Reader UART speed (board.cfg <c>reader.baud</c>).</param>
/// <param name="PollMicros">The device loop's sleep between polls, µs.</param>
/// <param name="Seconds">Simulated seconds counted per workload.</param>
/// <param name="Seed">Seed of the GPS, runners and radio.</param>
/// <param name="Workloads">Workload names, from <see cref="DeviceBench.WorkloadNames"/>.</param>
/// <param name="Top">How many methods to list per workload.</param>
internal sealed record DeviceBenchOptions(int Chips, int ReaderBaud, long PollMicros, int Seconds, int Seed, IReadOnlyList<string> Workloads, int Top);

/// <summary>
/// Counts what the firmware core costs the ESP32's IL interpreter: instruments the core (IL instructions and calls per
/// method), runs the real mat unit on the emulators in each workload, and turns the counts into per-second, per-event
/// and per-poll figures and a share of one core at each <see cref="InterpreterCalibration"/>.
/// </summary>
internal static class DeviceBench
{
    /// <summary>Gets the workloads, in the order they run.</summary>
    public static IReadOnlyList<string> WorkloadNames { get; } = ["idle", "m6e", "r2000", "overload"];

    /// <summary>Largest single poll the core should take, IL instructions (≈ 6 ms at the central calibration).</summary>
    public const long MaxPollGoal = 20_000;

    /// <summary>Runs the workloads and builds the report.</summary>
    /// <param name="options">Board figures and workloads.</param>
    /// <param name="progress">Told the name of each workload as it starts.</param>
    /// <returns>The report.</returns>
    public static DeviceBenchReport Run(DeviceBenchOptions options, Action<string>? progress = null)
    {
        var core = InstrumentedCore.FromBuild();
        var results = new List<(WorkloadRequest Request, WorkloadResult Result)>();
        foreach (var name in WorkloadNames.Where(options.Workloads.Contains))
        {
            progress?.Invoke(name);
            var request = Request(name, options);
            results.Add((request, core.Run(request)));
        }

        return DeviceBenchReport.Build(options, core.Methods, results);
    }

    /// <summary>Builds a workload's request from its name and the board's figures.</summary>
    /// <param name="name">A name from <see cref="WorkloadNames"/>.</param>
    /// <param name="options">Board figures.</param>
    /// <returns>The request.</returns>
    public static WorkloadRequest Request(string name, DeviceBenchOptions options)
    {
        var common = new WorkloadRequest
        {
            Name = name,
            Reader = "m6e",
            Chips = options.Chips,
            ReaderBaud = options.ReaderBaud,
            PollMicros = options.PollMicros,
            Seconds = options.Seconds,
            Seed = options.Seed,
        };
        return name switch
        {
            // No tags: keep-alives from the module, NMEA and PPS, the fit, status and housekeeping.
            "idle" => common,

            // A Nano has one antenna port; at 115200 baud the line carries ~245 of its 47-byte records a second.
            "m6e" => common with { RunnersPerSecond = 20, Antennas = 1, ReaderReadsPerSecond = 500 },

            // A 0xA0 module at its 500 reads/s over 4 ports, 25 runners/s: ~20 reads per crossing.
            "r2000" => common with { Reader = "r2000", RunnersPerSecond = 25, ReaderReadsPerSecond = 750 },

            // Three streaming M6e modules at a 15 runners/s split, on a unit whose polls take as long as the pessimistic
            // calibration says: the core falls behind, the UARTs fill, and it must degrade as a timer would (two
            // modules no longer fill a UART since no poll does the status, a batch or the clock fit whole).
            "overload" => common with
            {
                Modules = 3,
                Antennas = 1,
                RunnersPerSecond = 15,
                ReaderReadsPerSecond = 500,
                CpuMicrosPerInstruction = InterpreterCalibration.High.MicrosPerInstruction,
                CpuMicrosPerCall = InterpreterCalibration.High.MicrosPerCall,
            },
            _ => throw new ArgumentException($"unknown workload '{name}'", nameof(name)),
        };
    }
}
