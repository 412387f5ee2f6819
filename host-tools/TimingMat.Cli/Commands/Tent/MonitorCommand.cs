using System.CommandLine;
using System.Globalization;
using System.Text;
using Spectre.Console;
using TimingMat.Cli.Infrastructure;
using TimingMat.Tent.Commands;
using TimingMat.Tent.Monitoring;

namespace TimingMat.Cli.Commands.Tent;

/// <summary>
/// <c>timingmat monitor [--race race.cfg] [--broker URL] [--once] [--json] [--web [ADDR:PORT]]</c>: the fleet live from
/// the tent (<see cref="FleetMonitor"/>): a table of the units with their alarms, acknowledged with keys; <c>--once</c>
/// prints one picture after the first status round and exits 80 while alarms stand; <c>--web</c> serves the same as a
/// browser page with a checkpoint screen per mat.
/// </summary>
internal static class MonitorCommand
{
    public static Command Create(CommandOutput output)
    {
        var tent = TentOptions.Create();
        var once = new Option<bool>("--once") { Description = "Print one picture after the first status round and exit: 0 without alarms, 80 naming the alarms that stand" };
        var wait = new Option<double>("--wait-s") { Description = "With --once: how long to wait for every unit's status, seconds (a unit not heard by then is silent)", DefaultValueFactory = _ => 12.0 };
        var json = JsonOption.Create();
        var web = new Option<string?>("--web") { Description = "Also serve the fleet page and the checkpoint screens (/mat/<unit>) on ADDR:PORT, default 127.0.0.1:8080", Arity = ArgumentArity.ZeroOrOne, HelpName = "ADDR:PORT" };
        var webPublic = new Option<bool>("--web-public") { Description = "Let --web bind an address other than loopback (the page acknowledges alarms: only on the tent's own network)" };
        var chips = new Option<string?>("--chips") { Description = "Chips file for the checkpoint screens, BIB,CHIP a line (docs/monitor.md): bibs instead of chips", HelpName = "FILE" };
        var silent = new Option<double>("--silent-s") { Description = "Seconds without a status before a unit is silent", DefaultValueFactory = _ => 30.0 };
        var readerDown = new Option<double>("--reader-down-s") { Description = "Seconds a reader module may be out of reading before it is down", DefaultValueFactory = _ => 10.0 };
        var journal = new Option<double>("--journal-pct") { Description = "Share of the journal, percent, held by unacknowledged passings from which it is filling (also: under 1 h of outage left)", DefaultValueFactory = _ => 80.0 };
        var battery = new Option<int>("--battery-pct") { Description = "Battery charge, percent, under which it is low", DefaultValueFactory = _ => 20 };
        var command = new Command("monitor", "Watch the fleet live from the tent: each unit's status and alarms (silent, clock unlocked, reader down, journal filling, battery low) until acknowledged; --web serves the fleet page and checkpoint screens");
        foreach (var option in tent.Watching().Concat([once, wait, json, web, webPublic, chips, silent, readerDown, journal, battery]))
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, token) =>
        {
            var thresholds = new MonitorThresholds
            {
                SilentAfter = Seconds(parse.GetValue(silent), "--silent-s"),
                ReaderDownAfter = Seconds(parse.GetValue(readerDown), "--reader-down-s"),
                JournalUnacknowledgedPercent = parse.GetValue(journal),
                BatteryLowPercent = parse.GetValue(battery),
            };
            try
            {
                thresholds.Validate();
            }
            catch (ArgumentException e)
            {
                throw new CliException(ExitCode.InvalidInput, $"--journal-pct, --battery-pct: {e.Message}.", "give --journal-pct 1-100 and --battery-pct 0-100.");
            }

            var run = new MonitorRun(
                tent.ReadWatching(parse),
                thresholds,
                parse.GetValue(chips) is { } path ? LoadChips(path) : null,
                JsonOption.Target(parse, json),
                parse.GetResult(web) is { Implicit: false } w ? MonitorWebAddress.Parse(w.Tokens.Count > 0 ? w.Tokens[0].Value : null, parse.GetValue(webPublic)) : null);
            var waitSeconds = parse.GetValue(wait);
            if (waitSeconds is <= 0 or > 600)
            {
                throw new CliException(ExitCode.InvalidInput, "--wait-s must be above 0 and at most 600.");
            }

            return Task.FromResult(parse.GetValue(once) ? RunOnce(output, run, TimeSpan.FromSeconds(waitSeconds)) : RunLive(output, run, token));
        });
        return command;
    }

    private static TimeSpan Seconds(double value, string name) => value is > 0 and <= 3600
        ? TimeSpan.FromSeconds(value)
        : throw new CliException(ExitCode.InvalidInput, $"{name} must be above 0 and at most 3600 seconds.");

    private static ChipBibs LoadChips(string path)
    {
        try
        {
            return ChipBibs.Parse(Encoding.UTF8.GetString(InputFiles.ReadAllBytes(path)), Path.GetFileName(path));
        }
        catch (FormatException e)
        {
            throw new CliException(ExitCode.InvalidInput, e.Message, "fix the line named: one athlete a line, BIB,CHIP with the chip's EPC in hex (docs/monitor.md).");
        }
    }

    private static MonitorFeed Connect(FleetMonitor monitor, TentSettings settings)
    {
        try
        {
            return MonitorFeed.Connect(monitor, settings.Broker.Address, settings.Prefix, settings.Broker.Username, settings.Broker.Password, settings.Broker.Configure);
        }
        catch (TentConnectException e)
        {
            throw new CliException(ExitCode.BrokerUnreachable, e.Message + ".", "check that the broker runs and its URL, and the tent's account (tent.username / tent.password in the race file, or --username/--password).");
        }
    }

    private static int RunOnce(CommandOutput output, MonitorRun run, TimeSpan wait)
    {
        // One round: a unit expected and not heard by its end is silent at once, not 30 s later.
        var started = DateTime.UtcNow;
        var monitor = new FleetMonitor(run.Thresholds, started - run.Thresholds.SilentAfter, run.Settings.Units.Select(u => u.Unit), run.Chips);
        using (var feed = Connect(monitor, run.Settings))
        {
            var heard = 0;
            var lastNew = started;
            while (DateTime.UtcNow - started < wait)
            {
                Thread.Sleep(100);
                var units = monitor.Snapshot(DateTime.UtcNow).Units;
                var now = units.Count(u => u.LastSeenUtc != null);
                if (now > heard)
                {
                    (heard, lastNew) = (now, DateTime.UtcNow);
                }

                // The retained statuses come at once: with no list of units, a second without a new one ends the round.
                if (units.All(u => u.LastSeenUtc != null) && heard > 0 && (run.Settings.Units.Count > 0 || DateTime.UtcNow - lastNew >= TimeSpan.FromSeconds(1)))
                {
                    break;
                }
            }
        }

        monitor.Tick(DateTime.UtcNow);
        var snapshot = monitor.Snapshot(DateTime.UtcNow);
        if (run.Json != JsonOption.StandardOutput)
        {
            var console = Console(output);
            console.Write(MonitorTable.Render(snapshot, -1, interactive: false));
        }

        if (run.Json != null)
        {
            output.WriteJson(snapshot, run.Json == JsonOption.StandardOutput ? null : run.Json);
        }

        if (snapshot.Units.Count == 0)
        {
            throw new CliException(ExitCode.FleetAlarms, $"no unit's status came within {wait.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s.", "check the units' prefix (--prefix, the race file's mqtt.prefix) and that they run; give --race so the units expected are named.");
        }

        var standing = snapshot.Standing.ToList();
        if (standing.Count > 0)
        {
            throw new CliException(ExitCode.FleetAlarms, $"{standing.Count} alarm(s) stand: {string.Join("; ", standing.Select(a => $"unit {a.Unit} {a.Kind} ({a.Detail})"))}.");
        }

        return (int)ExitCode.Ok;
    }

    private static int RunLive(CommandOutput output, MonitorRun run, CancellationToken token)
    {
        var monitor = new FleetMonitor(run.Thresholds, DateTime.UtcNow, run.Settings.Units.Select(u => u.Unit), run.Chips);
        using var feed = Connect(monitor, run.Settings);
        using var web = run.Web == null ? null : MonitorWebCommand.Start(output, monitor, run.Web);
        var terminal = ReferenceEquals(output.Out, System.Console.Out) && !System.Console.IsOutputRedirected && run.Json != JsonOption.StandardOutput;
        if (!terminal)
        {
            // A log or a pipe: each alarm raised, cleared or acknowledged as a line (or each change as a JSON line).
            output.Out.WriteLine($"Monitoring {(run.Settings.Units.Count == 0 ? "every unit" : run.Settings.Units.Count + " unit(s)")} on {run.Settings.Broker.Address}, topics {run.Settings.Prefix}/<unit>/status and passings. Ctrl+C stops.");
            output.Out.Flush();
            var log = new MonitorLog(output, run.Json);
            while (!token.WaitHandle.WaitOne(TimeSpan.FromSeconds(1)))
            {
                monitor.Tick(DateTime.UtcNow);
                log.Write(monitor.Snapshot(DateTime.UtcNow));
            }

            return (int)ExitCode.Ok;
        }

        var interactive = !System.Console.IsInputRedirected;
        var selected = 0;
        var console = Console(output);
        console.Live(new Text(string.Empty)).AutoClear(false).Start(live =>
        {
            var quit = false;
            while (!quit && !token.IsCancellationRequested)
            {
                monitor.Tick(DateTime.UtcNow);
                var snapshot = monitor.Snapshot(DateTime.UtcNow);
                selected = Math.Clamp(selected, 0, Math.Max(0, snapshot.Alarms.Count - 1));
                live.UpdateTarget(MonitorTable.Render(snapshot, selected, interactive));
                live.Refresh();
                var until = DateTime.UtcNow.AddSeconds(1);
                while (DateTime.UtcNow < until && !token.IsCancellationRequested)
                {
                    if (interactive && System.Console.KeyAvailable)
                    {
                        quit = Key(System.Console.ReadKey(intercept: true), monitor, snapshot, ref selected);
                        break;
                    }

                    token.WaitHandle.WaitOne(50);
                }
            }
        });
        return (int)ExitCode.Ok;
    }

    // Returns true to quit.
    private static bool Key(ConsoleKeyInfo key, FleetMonitor monitor, FleetSnapshot snapshot, ref int selected)
    {
        switch (key.Key)
        {
            case ConsoleKey.UpArrow:
                selected--;
                break;
            case ConsoleKey.DownArrow:
                selected++;
                break;
            case ConsoleKey.Enter or ConsoleKey.Spacebar when selected < snapshot.Alarms.Count:
                var alarm = snapshot.Alarms[selected];
                if (AlarmKinds.TryParse(alarm.Kind, out var kind))
                {
                    monitor.Acknowledge(alarm.Unit, kind);
                }

                break;
            case ConsoleKey.A:
                monitor.AcknowledgeAll();
                break;
            case ConsoleKey.Q or ConsoleKey.Escape:
                return true;
        }

        return false;
    }

    private static IAnsiConsole Console(CommandOutput output)
    {
        var terminal = ReferenceEquals(output.Out, System.Console.Out) && !System.Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output.Out),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        });
        if (!terminal)
        {
            // Redirected output has no width: the table is laid out for 100 columns.
            console.Profile.Width = 100;
        }

        return console;
    }
}

/// <summary>What one monitor run was asked for.</summary>
internal sealed record MonitorRun(TentSettings Settings, MonitorThresholds Thresholds, ChipBibs? Chips, string? Json, MonitorWebAddress? Web);
