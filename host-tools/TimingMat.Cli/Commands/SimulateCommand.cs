using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using TimingMat.Cli.Infrastructure;
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
            Description = "Scenario: a JSON file, or a built-in name (half: 8,000 runners, 9 mats; full: 35,000 runners, 12 mats)",
            DefaultValueFactory = _ => "half",
            HelpName = "FILE|half|full",
        };
        var runners = new Option<int?>("--runners") { Description = "Run with this many starters instead of the scenario's count" };
        var seed = new Option<int?>("--seed") { Description = "Seed of every random choice (default: the scenario's); the same seed gives the same race" };
        var broker = new Option<string?>("--broker") { Description = "Use a real MQTT broker (mqtt://host:port) instead of the in-process one", HelpName = "URL" };
        var json = JsonOption.Create();
        var command = new Command("simulate", "Simulate a whole race on the real firmware core: one unit per mat, emulated readers, GPS, storage and uplink")
        {
            scenario,
            runners,
            seed,
            broker,
            json,
        };
        command.SetAction(parse => Run(output, parse.GetValue(scenario)!, parse.GetValue(runners), parse.GetValue(seed), parse.GetValue(broker), JsonOption.Target(parse, json)));
        return command;
    }

    private static int Run(CommandOutput output, string scenarioName, int? runners, int? seed, string? brokerUrl, string? json)
    {
        if (runners is < 1 or > 100_000)
        {
            throw new CliException(ExitCode.InvalidInput, $"--runners must be between 1 and 100000, not {runners}.");
        }

        MqttBrokerAddress? broker = null;
        if (brokerUrl != null && !MqttBrokerAddress.TryParse(brokerUrl, out broker, out var brokerError))
        {
            throw new CliException(ExitCode.InvalidInput, $"--broker: {brokerError}", "give the broker as mqtt://host:port (or mqtts://host:port).");
        }

        var scenario = Load(scenarioName);
        var options = new SimulationOptions { Seed = seed, Runners = runners, Broker = broker };
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
            output.Out.WriteLine($"Simulating '{scenario.Name}': {runners ?? scenario.Runners.Count:N0} runners, {scenario.Mats.Count} mats, {scenario.Faults.Count} faults, seed {seed ?? scenario.Seed}, broker {broker?.ToString() ?? "in-process"}.".Replace('\u00A0', ' '));
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
            WriteSummary(output.Out, report);
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

    private static Scenario Load(string name)
    {
        try
        {
            if (ScenarioLoader.BuiltInNames.Contains(name))
            {
                return ScenarioLoader.LoadBuiltIn(name);
            }

            var text = System.Text.Encoding.UTF8.GetString(InputFiles.ReadAllBytes(name));
            return ScenarioLoader.Parse(text, name);
        }
        catch (ScenarioException e)
        {
            throw new CliException(ExitCode.ScenarioInvalid, e.Message);
        }
        catch (CliException e) when (e.Code == ExitCode.FileNotFound)
        {
            throw new CliException(ExitCode.FileNotFound, $"'{name}' is neither a scenario file nor a built-in scenario ({string.Join(", ", ScenarioLoader.BuiltInNames)}).");
        }
    }

    private static void WriteSummary(TextWriter writer, SimulationReport r)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });

        // Redirected output has no terminal width; the table is wide, so give it room rather than wrap every cell.
        console.Profile.Width = Math.Max(console.Profile.Width, 160);
        var mats = new Table().Border(TableBorder.Simple).Title("Mats");
        foreach (var column in new[] { "unit", "mat", "reads", "passings", "delivered", "lost", "error p50 ms", "error p99 ms", "clock", "clock p99 ms", "boots", "restamped", "reader restarts" })
        {
            mats.AddColumn(column);
        }

        foreach (var m in r.MatDetails)
        {
            mats.AddRow(m.Unit.ToString(CultureInfo.InvariantCulture), m.Name, m.Reads.ToString("N0", CultureInfo.InvariantCulture), m.Passings.ToString("N0", CultureInfo.InvariantCulture),
                m.Delivered.ToString("N0", CultureInfo.InvariantCulture), m.Lost.ToString(CultureInfo.InvariantCulture),
                m.CrossingErrorP50Ms.ToString("0.#", CultureInfo.InvariantCulture), m.CrossingErrorP99Ms.ToString("0.#", CultureInfo.InvariantCulture), m.ClockState,
                m.ClockErrorP99Ms.ToString("0.###", CultureInfo.InvariantCulture), m.Boots.ToString(CultureInfo.InvariantCulture),
                m.Restamped.ToString(CultureInfo.InvariantCulture), m.ReaderRestarts.ToString(CultureInfo.InvariantCulture));
        }

        console.Write(mats);
        var lines = new[]
        {
            $"Passings: {r.PassingsExpected:N0} expected, {r.PassingsRecorded:N0} recorded, {r.PassingsDelivered:N0} delivered, {r.PassingsLost:N0} lost, {r.PassingsNeverRead:N0} never read by a reader, {r.DuplicatesDelivered:N0} duplicate, {r.PhantomPassings:N0} phantom.",
            $"Crossing time error: p50 {r.CrossingErrorMs.P50:0.###} ms, p99 {r.CrossingErrorMs.P99:0.###} ms, max {r.CrossingErrorMs.Max:0.###} ms.",
            $"Delivery (true crossing to stored by the collector, via {r.Broker}): p50 {r.DeliveryLatencyMs.P50:0} ms, p99 {r.DeliveryLatencyMs.P99:0} ms, max {r.DeliveryLatencyMs.Max:0} ms.",
            $"Mat clocks vs true UTC: p50 {r.ClockErrorMs.P50:0.###} ms, p99 {r.ClockErrorMs.P99:0.###} ms, max {r.ClockErrorMs.Max:0.###} ms.",
            $"Athletes: {r.Athletes.Ranked:N0} ranked; unranked: {r.Athletes.UnrankedMissingMat:N0} missing a mat, {r.Athletes.OutOfSequence:N0} out of sequence, {r.Athletes.AfterCutoff:N0} after a cut-off.",
            $"Two-chip runners: {r.TwoChipPairs.Injected} carried a second chip, {r.TwoChipPairs.Flagged} flagged by the audit ({r.TwoChipFalseFlags} other pair(s) flagged).",
            $"Faults injected: {r.FaultsInjected}; broker resends de-duplicated: {r.ResendsDeduplicated:N0}; markers delivered: {r.MarkersDelivered}.",
            $"{r.ReadsGenerated:N0} reads, {r.SimulatedSeconds / 3600:0.0} h of race simulated in {r.WallSeconds:0.0} s.",
        };
        foreach (var line in lines)
        {
            writer.WriteLine(line.Replace('\u00A0', ' '));
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
