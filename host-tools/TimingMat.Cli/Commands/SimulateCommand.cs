using System.CommandLine;
using TimingMat.Cli.Infrastructure;
using TimingMat.Collector.Courses;
using TimingMat.Mqtt;
using TimingMat.Simulation.Engine;
using TimingMat.Simulation.Network;
using TimingMat.Simulation.Scenarios;

namespace TimingMat.Cli.Commands;

/// <summary>
/// <c>timingmat simulate</c>: runs a whole race through the real firmware core — one unit per mat with an emulated
/// reader, GPS, storage and uplink — on simulated time, and shows what the timing crew would see plus what only a
/// simulation can show: the error against the truth and proof that nothing was lost.
/// </summary>
internal static class SimulateCommand
{
    public static Command Create(CommandOutput output)
    {
        var scenario = new Option<string>("--scenario")
        {
            Description = "Scenario: a JSON file, or a built-in name (half: 8,000 runners, 9 mats; full: 35,000 runners, 12 mats; fun: 300 runners, 4 mats, in seconds)",
            DefaultValueFactory = _ => "half",
            HelpName = "FILE|half|full|fun",
        };
        var runners = new Option<int?>("--runners") { Description = "Run with this many starters instead of the scenario's count" };
        var seed = new Option<int?>("--seed") { Description = "Seed of every random choice (default: the scenario's); the same seed gives the same race" };
        var broker = new Option<string?>("--broker") { Description = "Use a real MQTT broker (mqtt://host:port) instead of the in-process one", HelpName = "URL" };
        var db = new Option<string?>("--db") { Description = "Keep the collector's SQLite database in this new file (for an audit or a results system); a temporary file otherwise", HelpName = "FILE" };
        var courseOut = new Option<string?>("--course-out") { Description = "Write the scenario's course file (timing points and the units of their lines, docs/course-format.md) for collect --course and an audit", HelpName = "FILE" };
        var wide = new Option<bool>("--wide") { Description = "Show every column of every table (up to 200 columns wide) instead of the 100-column report" };
        var json = JsonOption.Create();
        var command = new Command("simulate", "Simulate a whole race on the real firmware core: one unit per mat, emulated readers, GPS, storage and uplink")
        {
            scenario,
            runners,
            seed,
            broker,
            db,
            courseOut,
            wide,
            json,
        };
        command.SetAction(parse => Run(output, parse.GetValue(scenario)!, parse.GetValue(runners), parse.GetValue(seed), parse.GetValue(broker), parse.GetValue(db), parse.GetValue(courseOut), parse.GetValue(wide), JsonOption.Target(parse, json)));
        return command;
    }

    private static int Run(CommandOutput output, string scenarioName, int? runners, int? seed, string? brokerUrl, string? database, string? courseOut, bool wide, string? json)
    {
        if (database != null && File.Exists(database))
        {
            throw new CliException(ExitCode.InvalidInput, $"--db: '{database}' exists already.", "give a new file: a collector database of another run would take this run's passings for duplicates.");
        }

        if (database != null && !Directory.Exists(Path.GetDirectoryName(Path.GetFullPath(database))))
        {
            throw new CliException(ExitCode.StorageFailed, $"--db: the folder of '{database}' does not exist.");
        }

        if (runners is < 1 or > 100_000)
        {
            throw new CliException(ExitCode.InvalidInput, $"--runners must be between 1 and 100000, not {runners}.");
        }

        MqttBrokerAddress? broker = null;
        if (brokerUrl != null && !MqttBrokerAddress.TryParse(brokerUrl, out broker, out var brokerError))
        {
            throw new CliException(ExitCode.InvalidInput, $"--broker: {brokerError}", "give the broker as mqtt://host:port (or mqtts://host:port).");
        }

        var scenario = ScenarioInput.Load(scenarioName);
        if (courseOut != null)
        {
            WriteCourse(scenario, courseOut);
        }

        var options = new SimulationOptions { Seed = seed, Runners = runners, Broker = broker, DatabasePath = database };
        RaceEngine engine;
        try
        {
            engine = new RaceEngine(scenario, options);
        }
        catch (ScenarioException e)
        {
            throw new CliException(ExitCode.ScenarioInvalid, e.Message);
        }

        var human = json != JsonOption.StandardOutput;
        if (human)
        {
            var points = scenario.TimingPoints.Count();
            var units = scenario.Mats.Count == points ? $"{points} mats" : $"{points} timing points on {scenario.Mats.Count} mat units";
            RaceReportWriter.WriteLine(output.Out, $"Simulating '{scenario.Name}': {runners ?? scenario.Runners.Count:N0} runners, {units}, {scenario.Faults.Count} faults, seed {seed ?? scenario.Seed}, broker {broker?.ToString() ?? "in-process"}.");
        }

        SimulationReport report;
        try
        {
            report = engine.Run(new ProgressLine(output.Error));
        }
        catch (BrokerUnreachableException e)
        {
            throw new CliException(ExitCode.BrokerUnreachable, e.Message + ".", "start Mosquitto there (or check host, port and firewall), or leave --broker out to use the in-process broker.");
        }

        if (human)
        {
            RaceReportWriter.Write(output.Out, report, RaceReportWriter.Run.Simulated, wide);
        }

        if (json != null)
        {
            output.WriteJson(report, json == JsonOption.StandardOutput ? null : json);
        }

        if (report.PassingsLost > 0)
        {
            throw new CliException(ExitCode.PassingsLost, $"{report.PassingsLost} read crossing(s) have no delivered passing.");
        }

        return (int)ExitCode.Ok;
    }

    private static void WriteCourse(Scenario scenario, string path)
    {
        try
        {
            File.WriteAllText(path, CourseFile.Write(ScenarioCourse.From(scenario), scenario.UtcOffset));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new CliException(ExitCode.StorageFailed, $"--course-out: cannot write '{path}': {e.Message}", "give a writable file path; its folder must exist.");
        }
    }

    /// <summary>Progress on standard error: a bar on a terminal, a line per 10 % otherwise.</summary>
    private sealed class ProgressLine(TextWriter error) : IProgress<double>
    {
        private int _shown = -1;

        public void Report(double value)
        {
            var percent = (int)(value * 100);
            var terminal = ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected;
            if (terminal && percent != _shown)
            {
                var filled = percent / 2;
                error.Write($"\r[{new string('#', filled)}{new string('.', 50 - filled)}] {percent,3}%");
                if (percent >= 100)
                {
                    error.WriteLine();
                }
            }
            else if (!terminal && percent / 10 != _shown / 10)
            {
                error.WriteLine($"simulated {percent / 10 * 10}%");
            }

            _shown = percent;
        }
    }
}
