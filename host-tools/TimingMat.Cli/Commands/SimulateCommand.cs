using System.CommandLine;
using System.Diagnostics;
using TimingMat.Cli.Infrastructure;
using TimingMat.Core.BringUp;

namespace TimingMat.Cli.Commands;

/// <summary>
/// <c>timingmat simulate</c>: runs the firmware core on emulated hardware on simulated time. Until the race engine
/// (scenarios, runners, one unit per mat) is built, it runs the bring-up demo: one emulated mat unit through the
/// core's wiring check, as a technician sees it on the debug console of a freshly wired board.
/// </summary>
internal static class SimulateCommand
{
    public static Command Create(CommandOutput output)
    {
        var seconds = new Option<int>("--seconds") { Description = "Simulated seconds of unit time to run", DefaultValueFactory = _ => 10 };
        var seed = new Option<int>("--seed") { Description = "Seed of the emulated PPS latency (runs are reproducible)", DefaultValueFactory = _ => 1 };
        var json = JsonOption.Create();
        var command = new Command("simulate", "Run the firmware core on emulated hardware, on simulated time (today: the bring-up demo of one mat unit)")
        {
            seconds,
            seed,
            json,
        };
        command.SetAction(parse => Run(output, parse.GetValue(seconds), parse.GetValue(seed), JsonOption.Target(parse, json)));
        return command;
    }

    private static int Run(CommandOutput output, int seconds, int seed, string? json)
    {
        if (seconds is < 1 or > 86_400)
        {
            throw new CliException(ExitCode.InvalidInput, $"--seconds must be between 1 and 86400, not {seconds}.");
        }

        var wall = Stopwatch.StartNew();
        var bench = new DemoBench(seed);
        var reports = new List<WiringReport>();
        var human = json != JsonOption.StandardOutput;
        if (human)
        {
            output.Out.WriteLine("TimingMat simulate: bring-up demo (the race engine arrives with the simulation work).");
            output.Out.WriteLine("One emulated mat unit: reader keep-alives on its UART, NMEA at 9600 baud after each PPS edge, SX1276 on SPI, storage in RAM.");
        }

        foreach (var report in bench.Run(seconds))
        {
            reports.Add(report);
            if (human)
            {
                output.Out.WriteLine($"  t={report.AtMicros / 1_000_000,4} s  {report}");
            }
        }

        wall.Stop();
        if (human)
        {
            output.Out.WriteLine($"{seconds} s of unit time simulated in {wall.Elapsed.TotalSeconds:0.000} s.");
        }

        if (json != null)
        {
            output.WriteJson(
                new
                {
                    Mode = "bring-up-demo",
                    SimulatedSeconds = seconds,
                    Seed = seed,
                    Reports = reports.Select(r => new
                    {
                        AtS = r.AtMicros / 1_000_000.0,
                        r.ReaderBytes,
                        r.GpsBytes,
                        r.GpsSentences,
                        r.PpsEdges,
                        PpsIntervalUs = r.LastPpsIntervalMicros,
                        r.PpsDropped,
                        Storage = WiringReport.ProbeText(r.Storage),
                        Radio = WiringReport.ProbeText(r.Radio),
                    }),
                    WallSeconds = Math.Round(wall.Elapsed.TotalSeconds, 3),
                },
                json == JsonOption.StandardOutput ? null : json);
        }

        return (int)ExitCode.Ok;
    }
}
