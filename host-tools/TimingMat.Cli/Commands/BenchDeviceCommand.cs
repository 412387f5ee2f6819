using System.CommandLine;
using System.Globalization;
using TimingMat.Bench.Device;
using TimingMat.Cli.Infrastructure;
using TimingMat.Core.Board;

namespace TimingMat.Cli.Commands;

/// <summary>
/// <c>timingmat bench device</c>: counts the IL instructions and calls the firmware core executes as the ESP32's
/// interpreter would run it (the core instrumented with Mono.Cecil, the real mat unit on the emulators), per second,
/// per read, crossing, passing and batch, by capability and method, and the largest single poll; converts them to a
/// share of one core at a low, central and high calibration. Exact and machine-independent.
/// </summary>
internal static class BenchDeviceCommand
{
    public static Command Create(CommandOutput output)
    {
        var board = new Option<string?>("--board") { Description = "board.cfg whose crossings.chips and reader.baud the unit runs with (default: 256 chips, 115200 baud)", HelpName = "FILE" };
        var pollMs = new Option<int>("--poll-ms") { Description = "Sleep between polls of the device loop, ms", DefaultValueFactory = _ => 10 };
        var seconds = new Option<int>("--seconds") { Description = "Simulated seconds counted per workload", DefaultValueFactory = _ => 60 };
        var seed = new Option<int>("--seed") { Description = "Seed of the GPS, runners and radio (counts are exact for a seed)", DefaultValueFactory = _ => 1 };
        var workload = new Option<string[]>("--workload") { Description = "Workloads to run: " + string.Join(", ", DeviceBench.WorkloadNames) + " (default: all)", AllowMultipleArgumentsPerToken = true };
        workload.AcceptOnlyFromAmong([.. DeviceBench.WorkloadNames]);
        var top = new Option<int>("--top") { Description = "Methods listed per workload", DefaultValueFactory = _ => 10 };
        var json = JsonOption.Create();
        var command = new Command("device", "What the firmware core costs the ESP32's IL interpreter: IL instructions and calls counted on the emulators, as a share of one core")
        {
            board,
            pollMs,
            seconds,
            seed,
            workload,
            top,
            json,
        };
        command.SetAction(parse => Run(output, parse.GetValue(board), parse.GetValue(pollMs), parse.GetValue(seconds), parse.GetValue(seed), parse.GetValue(workload), parse.GetValue(top), JsonOption.Target(parse, json)));
        return command;
    }

    private static int Run(CommandOutput output, string? boardPath, int pollMs, int seconds, int seed, string[]? workloads, int top, string? json)
    {
        Check(pollMs is >= 1 and <= 1000, $"--poll-ms must be between 1 and 1000, not {pollMs}.");
        Check(seconds is >= 5 and <= 3600, $"--seconds must be between 5 and 3600, not {seconds}.");
        Check(top is >= 0 and <= 100, $"--top must be between 0 and 100, not {top}.");
        var (chips, baud) = ReadBoard(boardPath);
        var options = new DeviceBenchOptions(chips, baud, pollMs * 1000L, seconds, seed, workloads is { Length: > 0 } ? workloads : DeviceBench.WorkloadNames, top);
        var report = DeviceBench.Run(options, name => output.Error.WriteLine($"counting workload {name} ..."));
        if (json != JsonOption.StandardOutput)
        {
            DeviceBenchText.Write(output.Out, report);
        }

        if (json != null)
        {
            output.WriteJson(report, json == JsonOption.StandardOutput ? null : json);
        }

        return (int)ExitCode.Ok;
    }

    private static (int Chips, int Baud) ReadBoard(string? path)
    {
        if (path == null)
        {
            return (256, 115_200);
        }

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new CliException(ExitCode.FileNotFound, $"board file '{path}' not found.", "give a boards/<board>/board.cfg path.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCode.FileUnreadable, $"cannot read '{path}': {e.Message}");
        }

        try
        {
            var board = BoardProfile.Parse(text);
            return (board.CrossingChips, board.Reader.Baud);
        }
        catch (BoardProfileException e)
        {
            throw new CliException(ExitCode.InvalidInput, $"board file '{path}' is invalid: {e.Message}", "fix the line named, as the device would refuse it too.");
        }
    }

    private static void Check(bool ok, string message)
    {
        if (!ok)
        {
            throw new CliException(ExitCode.InvalidInput, message, "run 'timingmat bench device --help' for the ranges.");
        }
    }
}

/// <summary>The text report of <c>timingmat bench device</c>.</summary>
internal static class DeviceBenchText
{
    public static void Write(TextWriter o, DeviceBenchReport r)
    {
        var c = CultureInfo.InvariantCulture;
        o.WriteLine(string.Create(c, $"TimingMat bench device: IL instructions and calls the core executes, counted on the emulators; poll every {r.PollMs:0.#} ms, {r.Chips} chips, reader at {r.ReaderBaud} baud, seed {r.Seed}"));
        o.WriteLine("Calibration (us per IL instruction / per call): " + string.Join(", ", r.Calibrations.Select(k => string.Create(c, $"{k.Name} {k.MicrosPerInstruction:0.0#}/{k.MicrosPerCall:0.0#}"))));
        o.WriteLine();
        o.WriteLine("  workload   reader      reads/s  passings/s       IL/s   calls/s   core low/central/high   largest poll IL (ms central)");
        foreach (var w in r.Workloads)
        {
            o.WriteLine(string.Create(c, $"  {w.Name,-9} {w.Reader,-10} {w.ReadsPerSecond,8:0.0} {w.PassingsPerSecond,11:0.00} {w.IlPerSecond,10:N0} {w.CallsPerSecond,9:N0}   {Share(w, "low")}/{Share(w, "central")}/{Share(w, "high")}   {w.MaxPoll.Il,12:N0} ({w.MaxPoll.Ms["central"]:0.0}){(w.OverBudgetAt.Count > 0 ? "  OVER BUDGET at " + string.Join("/", w.OverBudgetAt) : string.Empty)}"));
        }

        foreach (var w in r.Workloads)
        {
            o.WriteLine();
            o.WriteLine(string.Create(c, $"{w.Name}: {w.Seconds:0} s, {w.Polls:N0} polls ({w.PollsOver20k} above 20,000 IL); largest poll {w.MaxPoll.Il:N0} IL and {w.MaxPoll.Calls:N0} calls at {w.MaxPoll.AtSeconds:0.00} s ({w.MaxPoll.Ms["low"]:0.0}-{w.MaxPoll.Ms["high"]:0.0} ms)"));
            o.WriteLine("  largest poll: " + string.Join(", ", w.MaxPoll.TopMethods.Select(m => string.Create(c, $"{m.Name} {m.IlPerSecond:N0}"))));
            if (w.ModelReadsPerSecond > 0)
            {
                o.WriteLine(string.Create(c, $"  reads/s: the crossing model offered {w.ModelReadsPerSecond:0.0}, the modules missed {w.ModuleMissedPerSecond:0.0} between inventories and dropped {w.ModuleDroppedPerSecond:0.0} for a full line, the unit decoded {w.ReadsPerSecond:0.0}"));
            }

            var e = w.PerEvent;
            if (e.ReadIl != null || e.CrossingIl != null || e.PassingIl != null)
            {
                o.WriteLine(string.Create(c, $"  per read {Num(e.ReadIl)} IL / {Num(e.ReadCalls)} calls; per crossing (peak fit) {Num(e.CrossingIl)} / {Num(e.CrossingCalls)}; per passing {Num(e.PassingIl)} / {Num(e.PassingCalls)}; per batch {Num(e.BatchIl)} / {Num(e.BatchCalls)}{(e.BeyondIdle ? " (beyond the idle unit)" : string.Empty)}"));
            }

            if (w.CoreMemoryBytes > 0)
            {
                o.WriteLine(string.Create(c, $"  core memory {w.CoreMemoryBytes:N0} B preallocated (goal 65,536); reads averaged early for a full store of kept reads: {w.KeptStoreFull:N0}"));
            }

            o.WriteLine("  by capability: " + string.Join(", ", w.Capabilities.Select(k => string.Create(c, $"{k.Name} {k.IlPerSecond:N0} IL/s ({k.Percent:0.#} %)"))));
            if (w.TopMethods.Count > 0)
            {
                o.WriteLine("  top methods (own IL):");
                foreach (var m in w.TopMethods)
                {
                    o.WriteLine(string.Create(c, $"    {m.Percent,5:0.0} %  {m.IlPerSecond,10:N0} IL/s {m.CallsPerSecond,8:N0} calls/s  {m.Name}"));
                }
            }

            var d = w.Degrade;
            if (d.ReadsThinned > 0 || d.UartBytesLost > 0 || d.PollsLate > 0 || w.Name == "overload")
            {
                o.WriteLine(string.Create(c, $"  degraded: {d.PollsLate:N0} polls late, {d.ReadsThinned:N0} reads thinned, {d.ReadsDropped:N0} reads dropped ({d.UartBytesLost:N0} UART bytes lost), largest backlog {d.MaxBacklogBytes:N0} B; chips {d.ChipsReported:N0} reported, {d.ChipsWithoutPassing:N0} without a passing; {d.PassingsWaiting} passings waiting for the journal"));
            }
        }

        o.WriteLine();
        foreach (var g in r.Goals)
        {
            o.WriteLine(string.Create(c, $"goal {g.Workload} {g.What} <= {g.Goal:N0}: {g.Measured:N0} {(g.Met ? "met" : "NOT MET")}"));
        }
    }

    private static string Share(WorkloadReport w, string calibration) => string.Create(CultureInfo.InvariantCulture, $"{w.CoreShare[calibration] * 100:0}%");

    private static string Num(double? value) => value is double v ? v.ToString("N0", CultureInfo.InvariantCulture) : "-";
}
