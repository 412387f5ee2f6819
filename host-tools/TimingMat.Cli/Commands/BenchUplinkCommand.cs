using System.CommandLine;
using TimingMat.Bench.Uplink;
using TimingMat.Cli.Infrastructure;

namespace TimingMat.Cli.Commands;

/// <summary>
/// <c>timingmat bench uplink latency|drain</c>: wall-clock runs of real units on emulated start lines over a real
/// Mosquitto it starts on loopback (<see cref="UplinkMeasurements"/>). Unlike the other benches these take real time:
/// a unit's clock locks about 22 s after boot.
/// </summary>
internal static class BenchUplinkCommand
{
    public static Command Create(CommandOutput output)
    {
        var perSecond = new Option<double>("--runners-per-second") { Description = "Runners a second at each start line, 1-100 (a start mat takes 20-30)", DefaultValueFactory = _ => 25 };
        var units = new Option<int>("--units") { Description = "latency: start-line units publishing at once, 1-50", DefaultValueFactory = _ => 10 };
        var seconds = new Option<double>("--seconds") { Description = "latency: seconds of runners at each start line, 1-3600", DefaultValueFactory = _ => 60 };
        var minutes = new Option<double>("--minutes") { Description = "drain: minutes of race the unit's journal holds when its network comes back, 1-600", DefaultValueFactory = _ => 60 };

        var latency = new Command("latency", "N units time runners; the delay from each runner's crossing to the collector's database, p50/p95/p99/max")
        {
            units,
            perSecond,
            seconds,
        };
        latency.SetAction(parse =>
        {
            var (count, rate, time) = (parse.GetValue(units), parse.GetValue(perSecond), parse.GetValue(seconds));
            Check("--units", count, 1, 50);
            Check("--runners-per-second", rate, 1, 100);
            Check("--seconds", time, 1, 3600);
            return Delivered(() => UplinkMeasurements.Latency(output.Out, count, rate, time), "Passings the readers read did not reach the collector within 30 s.");
        });

        var drain = new Command("drain", "A unit with a backlog in its journal reconnects and drains it to the collector while its start line keeps timing")
        {
            minutes,
            perSecond,
        };
        drain.SetAction(parse =>
        {
            var (backlog, rate) = (parse.GetValue(minutes), parse.GetValue(perSecond));
            Check("--minutes", backlog, 1, 600);
            Check("--runners-per-second", rate, 1, 100);
            return Delivered(() => UplinkMeasurements.Drain(output.Out, backlog, rate), "The backlog did not reach the collector within 30 minutes.");
        });

        return new Command("uplink", "Real units on emulated start lines over a real Mosquitto, in wall-clock time: delivery latency and backlog drain")
        {
            latency,
            drain,
        };
    }

    private static int Delivered(Func<bool> measure, string shortfall)
    {
        bool delivered;
        try
        {
            delivered = measure();
        }
        catch (FileNotFoundException e)
        {
            throw new CliException(ExitCode.ToolMissing, e.Message, "install it (sudo apt-get install mosquitto) or set TIMINGMAT_MOSQUITTO to its path.");
        }

        return delivered ? (int)ExitCode.Ok : throw new CliException(ExitCode.PassingsLost, shortfall);
    }

    private static void Check(string option, double value, double min, double max)
    {
        if (double.IsNaN(value) || value < min || value > max)
        {
            throw new CliException(ExitCode.InvalidInput, $"{option} {value}: expected {min}-{max}.");
        }
    }
}
