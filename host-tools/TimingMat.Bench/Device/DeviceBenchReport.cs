using TimingMat.Bench.Device.Instrumentation;
using TimingMat.Bench.Device.Workloads;

namespace TimingMat.Bench.Device;

/// <summary>The figures of <c>timingmat bench device</c> (its <c>--json</c>).</summary>
internal sealed record DeviceBenchReport
{
    /// <summary>Gets the chip table size counted with.</summary>
    public int Chips { get; init; }

    /// <summary>Gets the reader UART speed.</summary>
    public int ReaderBaud { get; init; }

    /// <summary>Gets the poll period, ms.</summary>
    public double PollMs { get; init; }

    /// <summary>Gets the seed.</summary>
    public int Seed { get; init; }

    /// <summary>Gets the calibrations the shares use.</summary>
    public required IReadOnlyList<InterpreterCalibration> Calibrations { get; init; }

    /// <summary>Gets one report per workload.</summary>
    public required IReadOnlyList<WorkloadReport> Workloads { get; init; }

    /// <summary>Gets the goals of issue 16 and whether each is met.</summary>
    public required IReadOnlyList<GoalCheck> Goals { get; init; }

    /// <summary>Builds the report from the counts.</summary>
    /// <param name="options">What was run.</param>
    /// <param name="methods">Counted methods by index.</param>
    /// <param name="results">Each workload's request and counts.</param>
    /// <returns>The report.</returns>
    public static DeviceBenchReport Build(DeviceBenchOptions options, IReadOnlyList<MethodCounterName> methods, IReadOnlyList<(WorkloadRequest Request, WorkloadResult Result)> results)
    {
        var idle = results.Where(r => r.Request.Name == "idle").Select(r => r.Result).FirstOrDefault();
        var workloads = results.Select(r => WorkloadReport.Build(r.Request, r.Result, methods, idle, options.Top)).ToList();
        return new DeviceBenchReport
        {
            Chips = options.Chips,
            ReaderBaud = options.ReaderBaud,
            PollMs = options.PollMicros / 1000.0,
            Seed = options.Seed,
            Calibrations = InterpreterCalibration.All,
            Workloads = workloads,
            Goals = GoalCheck.For(workloads),
        };
    }
}

/// <summary>One workload's figures.</summary>
internal sealed record WorkloadReport
{
    /// <summary>Gets the workload's name.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the reader protocol and modules.</summary>
    public required string Reader { get; init; }

    /// <summary>Gets the simulated seconds counted.</summary>
    public double Seconds { get; init; }

    /// <summary>Gets the polls counted.</summary>
    public long Polls { get; init; }

    /// <summary>Gets the reads delivered per second.</summary>
    public double ReadsPerSecond { get; init; }

    /// <summary>Gets the reads per second the crossing model offered the modules (chips in the field within the read rate).</summary>
    public double ModelReadsPerSecond { get; init; }

    /// <summary>Gets the model's reads per second the modules missed between inventories (R2000).</summary>
    public double ModuleMissedPerSecond { get; init; }

    /// <summary>Gets the model's reads per second the modules dropped for a full UART transmit backlog.</summary>
    public double ModuleDroppedPerSecond { get; init; }

    /// <summary>Gets the passings made per second.</summary>
    public double PassingsPerSecond { get; init; }

    /// <summary>Gets the batches published per second.</summary>
    public double BatchesPerSecond { get; init; }

    /// <summary>Gets the IL instructions per second.</summary>
    public double IlPerSecond { get; init; }

    /// <summary>Gets the calls per second.</summary>
    public double CallsPerSecond { get; init; }

    /// <summary>Gets the share of one core, by calibration name (1 = the whole core).</summary>
    public required IReadOnlyDictionary<string, double> CoreShare { get; init; }

    /// <summary>Gets the calibrations at which the workload needs more than the whole core.</summary>
    public required IReadOnlyList<string> OverBudgetAt { get; init; }

    /// <summary>Gets the largest single poll.</summary>
    public required PollFigures MaxPoll { get; init; }

    /// <summary>Gets the polls above 20,000 IL instructions.</summary>
    public long PollsOver20k { get; init; }

    /// <summary>Gets the cost per read, crossing, passing and batch (beyond the idle unit's, when idle was counted).</summary>
    public required EventCosts PerEvent { get; init; }

    /// <summary>Gets the cost by capability (namespace of the core).</summary>
    public required IReadOnlyList<CostLine> Capabilities { get; init; }

    /// <summary>Gets the costliest methods (own instructions, callees excluded).</summary>
    public required IReadOnlyList<CostLine> TopMethods { get; init; }

    /// <summary>Gets how the unit degraded when it could not keep up.</summary>
    public required DegradeFigures Degrade { get; init; }

    /// <summary>Gets what the unit's memory report says the core preallocated, bytes (goal 65,536).</summary>
    public int CoreMemoryBytes { get; init; }

    /// <summary>Gets the reads the detector averaged early because its store of kept reads was empty (0 = timed as with a full reservation).</summary>
    public long KeptStoreFull { get; init; }

    /// <summary>Builds a workload's report.</summary>
    /// <param name="request">The workload.</param>
    /// <param name="result">Its counts.</param>
    /// <param name="methods">Counted methods by index.</param>
    /// <param name="idle">The idle workload's counts, for per-event figures beyond idle (or null).</param>
    /// <param name="top">How many methods to list.</param>
    /// <returns>The report.</returns>
    public static WorkloadReport Build(WorkloadRequest request, WorkloadResult result, IReadOnlyList<MethodCounterName> methods, WorkloadResult? idle, int top)
    {
        var seconds = result.Seconds;
        var il = result.Instructions.Sum();
        var calls = result.Calls.Sum();
        var share = InterpreterCalibration.All.ToDictionary(c => c.Name, c => Math.Round(c.Micros(il, calls) / seconds / 1e6, 4));
        var capabilities = Group(result, methods, m => Capability.Of(m), seconds, il);
        var perEvent = EventCosts.Of(result, methods, request.Name == "idle" ? null : idle);
        return new WorkloadReport
        {
            Name = request.Name,
            Reader = request.Reader == "none" ? "none" : (request.Modules > 1 ? request.Modules + " x " : string.Empty) + request.Reader,
            Seconds = seconds,
            Polls = result.Polls,
            ReadsPerSecond = Math.Round(result.Reads / seconds, 1),
            ModelReadsPerSecond = Math.Round(result.ModelReads / seconds, 1),
            ModuleMissedPerSecond = Math.Round(result.ReadsMissedByModules / seconds, 1),
            ModuleDroppedPerSecond = Math.Round(result.ReadsDroppedByModules / seconds, 1),
            PassingsPerSecond = Math.Round(result.Crossings / seconds, 2),
            BatchesPerSecond = Math.Round(result.Batches / seconds, 2),
            IlPerSecond = Math.Round(il / seconds),
            CallsPerSecond = Math.Round(calls / seconds),
            CoreShare = share,
            OverBudgetAt = share.Where(s => s.Value > 1).Select(s => s.Key).ToList(),
            MaxPoll = new PollFigures(
                result.MaxPollInstructions,
                result.MaxPollCalls,
                Math.Round(result.MaxPollAtSeconds, 2),
                InterpreterCalibration.All.ToDictionary(c => c.Name, c => Math.Round(c.Micros(result.MaxPollInstructions, result.MaxPollCalls) / 1000, 2)),
                Enumerable.Range(0, methods.Count)
                    .Where(i => i < result.MaxPollInstructionsByMethod.Length && result.MaxPollInstructionsByMethod[i] > 0)
                    .OrderByDescending(i => result.MaxPollInstructionsByMethod[i])
                    .Take(5)
                    .Select(i => new CostLine(methods[i].Display, result.MaxPollInstructionsByMethod[i], 0, Math.Round(100.0 * result.MaxPollInstructionsByMethod[i] / Math.Max(1, result.MaxPollInstructions), 1)))
                    .ToList()),
            PollsOver20k = result.PollsOver20k,
            PerEvent = perEvent,
            Capabilities = capabilities,
            TopMethods = Group(result, methods, m => m.Display, seconds, il).Take(top).ToList(),
            CoreMemoryBytes = result.CoreMemoryBytes,
            KeptStoreFull = result.KeptStoreFull,
            Degrade = new DegradeFigures(result.ReadsThinned, result.ReadsDropped, result.UartBytesLost, result.PollsLate, result.MaxBacklogBytes, result.ChipsReported, result.ChipsWithoutPassing, result.PassingsWaiting),
        };
    }

    private static List<CostLine> Group(WorkloadResult result, IReadOnlyList<MethodCounterName> methods, Func<MethodCounterName, string> key, double seconds, long total) =>
        Enumerable.Range(0, methods.Count)
            .Where(i => result.Instructions[i] > 0)
            .GroupBy(i => key(methods[i]))
            .Select(g => new CostLine(
                g.Key,
                Math.Round(g.Sum(i => result.Instructions[i]) / seconds),
                Math.Round(g.Sum(i => result.Calls[i]) / seconds),
                Math.Round(100.0 * g.Sum(i => result.Instructions[i]) / Math.Max(1, total), 1)))
            .OrderByDescending(c => c.IlPerSecond)
            .ToList();
}

/// <summary>A cost line: per second and as a share of the workload's instructions.</summary>
/// <param name="Name">Capability or method.</param>
/// <param name="IlPerSecond">IL instructions per second.</param>
/// <param name="CallsPerSecond">Calls per second.</param>
/// <param name="Percent">Share of the workload's instructions, %.</param>
internal sealed record CostLine(string Name, double IlPerSecond, double CallsPerSecond, double Percent);

/// <summary>The largest single poll.</summary>
/// <param name="Il">IL instructions.</param>
/// <param name="Calls">Calls.</param>
/// <param name="AtSeconds">When, seconds into the counted run.</param>
/// <param name="Ms">Its duration by calibration, ms.</param>
/// <param name="TopMethods">Its costliest methods (IL of that poll in <see cref="CostLine.IlPerSecond"/>).</param>
internal sealed record PollFigures(long Il, long Calls, double AtSeconds, IReadOnlyDictionary<string, double> Ms, IReadOnlyList<CostLine> TopMethods);

/// <summary>How the unit degraded (all zero while it keeps up).</summary>
/// <param name="ReadsThinned">Reads of well-read chips the detector let go while the unit was behind.</param>
/// <param name="ReadsDropped">Reads lost before the core saw them (UART overruns), estimated from the bytes lost.</param>
/// <param name="UartBytesLost">Bytes the reader UARTs dropped for a full receive buffer.</param>
/// <param name="PollsLate">Polls more than 50 ms after the previous one.</param>
/// <param name="MaxBacklogBytes">Largest reader backlog drained in one poll, bytes.</param>
/// <param name="ChipsReported">Chips the modules reported on the wire in the counted run.</param>
/// <param name="ChipsWithoutPassing">Of those, chips with no passing at the collector.</param>
/// <param name="PassingsWaiting">Passings not yet in the journal at the end.</param>
internal sealed record DegradeFigures(long ReadsThinned, long ReadsDropped, long UartBytesLost, long PollsLate, long MaxBacklogBytes, long ChipsReported, long ChipsWithoutPassing, long PassingsWaiting);

/// <summary>A goal of issue 16 checked against a workload.</summary>
/// <param name="Workload">The workload.</param>
/// <param name="What">The figure.</param>
/// <param name="Goal">The goal (at most).</param>
/// <param name="Measured">The figure counted.</param>
internal sealed record GoalCheck(string Workload, string What, double Goal, double Measured)
{
    /// <summary>Gets a value indicating whether the goal is met.</summary>
    public bool Met => Measured <= Goal;

    /// <summary>Checks every goal whose workload was run.</summary>
    /// <param name="workloads">The workload reports.</param>
    /// <returns>The checks.</returns>
    public static IReadOnlyList<GoalCheck> For(IReadOnlyList<WorkloadReport> workloads)
    {
        var checks = new List<GoalCheck>();
        foreach (var w in workloads)
        {
            switch (w.Name)
            {
                case "idle":
                    checks.Add(new GoalCheck(w.Name, "IL/s", 60_000, w.IlPerSecond));
                    break;
                case "m6e":
                    checks.Add(new GoalCheck(w.Name, "IL/s", 400_000, w.IlPerSecond));
                    checks.Add(new GoalCheck(w.Name, "calls/s", 20_000, w.CallsPerSecond));
                    break;
                case "r2000":
                    checks.Add(new GoalCheck(w.Name, "IL/s", 800_000, w.IlPerSecond));
                    checks.Add(new GoalCheck(w.Name, "calls/s", 35_000, w.CallsPerSecond));
                    break;
                default:
                    continue;
            }

            checks.Add(new GoalCheck(w.Name, "largest poll, IL", DeviceBench.MaxPollGoal, w.MaxPoll.Il));
        }

        return checks;
    }
}

/// <summary>IL instructions and calls per event.</summary>
/// <param name="ReadIl">Per read: decode, race day, detector (fit excluded).</param>
/// <param name="ReadCalls">Calls per read.</param>
/// <param name="CrossingIl">Per crossing: the peak fit.</param>
/// <param name="CrossingCalls">Calls per crossing.</param>
/// <param name="PassingIl">Per passing: gate, ring, journal (append, commit, read back).</param>
/// <param name="PassingCalls">Calls per passing.</param>
/// <param name="BatchIl">Per batch: the outbox (bodies into the batch, CRC, publish, ack).</param>
/// <param name="BatchCalls">Calls per batch.</param>
/// <param name="BeyondIdle">Whether the idle unit's cost of the same capabilities was taken off.</param>
internal sealed record EventCosts(double? ReadIl, double? ReadCalls, double? CrossingIl, double? CrossingCalls, double? PassingIl, double? PassingCalls, double? BatchIl, double? BatchCalls, bool BeyondIdle)
{
    /// <summary>Works out the per-event costs of a workload.</summary>
    /// <param name="result">The workload's counts.</param>
    /// <param name="methods">Counted methods.</param>
    /// <param name="idle">The idle workload's counts (its rates are taken off), or null.</param>
    /// <returns>The costs; null where the workload had no such event.</returns>
    public static EventCosts Of(WorkloadResult result, IReadOnlyList<MethodCounterName> methods, WorkloadResult? idle)
    {
        (double Il, double Calls) Cost(params string[] capabilities)
        {
            double il = 0, calls = 0;
            for (var i = 0; i < methods.Count; i++)
            {
                if (!capabilities.Contains(Capability.Of(methods[i])))
                {
                    continue;
                }

                il += result.Instructions[i];
                calls += result.Calls[i];
                if (idle != null)
                {
                    il -= idle.Instructions[i] * result.Seconds / idle.Seconds;
                    calls -= idle.Calls[i] * result.Seconds / idle.Seconds;
                }
            }

            return (Math.Max(0, il), Math.Max(0, calls));
        }

        static double? Per(double value, long events) => events > 0 ? Math.Round(value / events) : null;
        var read = Cost(Capability.Reader, Capability.RaceDay, Capability.Detector);
        var fit = Cost(Capability.PeakFit);
        var passing = Cost(Capability.Journal, Capability.Unit);
        var batch = Cost(Capability.Outbox);
        return new EventCosts(
            Per(read.Il, result.Reads),
            Per(read.Calls, result.Reads),
            Per(fit.Il, result.Crossings),
            Per(fit.Calls, result.Crossings),
            Per(passing.Il, result.PassingsJournaled),
            Per(passing.Calls, result.PassingsJournaled),
            Per(batch.Il, result.Batches),
            Per(batch.Calls, result.Batches),
            idle != null);
    }
}

/// <summary>The capabilities the report groups the core's methods by.</summary>
internal static class Capability
{
    /// <summary>Reader drivers, deframers, codecs.</summary>
    public const string Reader = "reader";

    /// <summary>Race-day control and the qualifier.</summary>
    public const string RaceDay = "race day";

    /// <summary>The crossing detector without its peak fit.</summary>
    public const string Detector = "detector";

    /// <summary>The peak fit.</summary>
    public const string PeakFit = "peak fit";

    /// <summary>The mat clock and its fit.</summary>
    public const string Clock = "clock";

    /// <summary>The NMEA parser.</summary>
    public const string Nmea = "nmea";

    /// <summary>Ring, journal, cursors, CRC-32.</summary>
    public const string Journal = "journal";

    /// <summary>Outbox, batches, uplink, status.</summary>
    public const string Outbox = "outbox";

    /// <summary>The unit's own loop, the clock gate, passings and the rest.</summary>
    public const string Unit = "unit";

    /// <summary>Tells a method's capability from its namespace.</summary>
    /// <param name="method">The method.</param>
    /// <returns>The capability.</returns>
    public static string Of(MethodCounterName method)
    {
        var ns = method.Namespace.StartsWith("TimingMat.Core.", StringComparison.Ordinal) ? method.Namespace["TimingMat.Core.".Length..] : method.Namespace;
        var first = ns.Split('.')[0];
        return first switch
        {
            "Reader" or "Bridge" => Reader,
            "RaceDay" => RaceDay,
            "Crossings" => method.Type == "PeakFit" ? PeakFit : Detector,
            "Clock" => ns.StartsWith("Clock.Nmea", StringComparison.Ordinal) ? Nmea : Clock,
            "Journal" => Journal,
            "Outbox" or "Lora" => Outbox,
            "Common" => OfHelper(method.Type),
            _ => Unit,
        };
    }

    // The general helpers are billed to the capability that runs them on the hot path, as when they sat in its folder.
    private static string OfHelper(string type) => type switch
    {
        "Crc16" => Reader,
        "Crc32" or "LittleEndian" => Journal,
        "FixedPoint" => Clock,
        "JsonWriter" => Outbox,
        "NameTable" => Detector,
        _ => Unit,
    };
}
