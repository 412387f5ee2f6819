using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using TimingMat.Cli.Infrastructure;
using TimingMat.Core.Board;
using TimingMat.Core.Unit;

namespace TimingMat.Cli.Commands.Provisioning;

/// <summary>
/// <c>timingmat flash --board boards/&lt;board&gt; --port PORT --unit KM05 [--config race.cfg] [--image DIR]</c>: one command
/// per board the evening before the race. nanoff writes nanoCLR for the board's target, deploys the application image
/// and the board file; then the unit's configuration goes through its console, is read back, and the self-test runs.
/// Several units (<c>--units KM05,KM10,…</c>) on one port with a prompt to swap boards, or on as many ports; a progress
/// bar per unit and a final table; exit non-zero naming the units that failed.
/// </summary>
internal static class FlashCommand
{
    private const string ImageName = "TimingMat.Device.bin";
    private static readonly string[] s_steps = ["flash nanoCLR", "deploy application", "deploy board file", "console", "provision", "self-test"];
    private static readonly string[] s_defaultImages = ["firmware/TimingMat.Device/bin/Release", "firmware/TimingMat.Device/bin/Debug"];

    public static Command Create(CommandOutput output)
    {
        var board = new Option<string>("--board") { Description = "The board's folder (boards/<board>): its board.cfg names the nanoFramework target and is deployed to the board", Required = true, HelpName = "DIR" };
        var port = new Option<string[]>("--port") { Description = "The board's USB serial port for nanoff (e.g. /dev/ttyUSB0); give it once per unit to flash several boards plugged in at once, or once to swap boards between units", Required = true, HelpName = "PORT" };
        var console = new Option<string[]>("--console") { Description = "Where each unit's console answers after flashing (default: its --port); on the ESP32 boards their TCP console, tcp://<unit>:2323, or the serial console's USB-serial adapter, /dev/ttyUSB1 (firmware/docs/console.md)", HelpName = "ADDR" };
        var unit = new Option<string?>("--unit") { Description = "The unit to flash (its name in the race file, e.g. KM05)", HelpName = "NAME" };
        var units = new Option<string?>("--units") { Description = "Several units in one run: KM05,KM10,KM15", HelpName = "NAMES" };
        var config = new Option<string?>("--config") { Description = "The race file (docs/race-file.md): each unit is provisioned from it and self-tested; without it the boards are only flashed", HelpName = "FILE" };
        var image = new Option<string?>("--image") { Description = $"The application image: {ImageName} or the folder holding it (default: the nanoFramework build output, firmware/TimingMat.Device/bin/Release or bin/Debug)", HelpName = "DIR" };
        var nanoff = new Option<string>("--nanoff") { Description = "The nanoff executable (2.x flags or 3.x verbs, detected with --version)", DefaultValueFactory = _ => Environment.GetEnvironmentVariable("TIMINGMAT_NANOFF") ?? "nanoff", HelpName = "PATH" };
        var files = ProvisionCommand.FileOption();
        var dryRun = new Option<bool>("--dry-run") { Description = "Print every nanoff command line and console exchange (secrets masked), run nothing" };
        var json = JsonOption.Create();
        var command = new Command("flash", "Flash, deploy, provision and self-test boards: one command per board, or per batch with --units");
        foreach (var option in new Option[] { board, port, console, unit, units, config, files, image, nanoff, dryRun, json })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            var configPath = parse.GetValue(config);
            var race = configPath == null ? null : RaceFileInput.Load(configPath);
            var names = RaceFileInput.Units(race, parse.GetValue(unit), parse.GetValue(units), configPath);
            var ports = parse.GetValue(port)!;
            var consoles = parse.GetValue(console) ?? [];
            if (ports.Length != 1 && ports.Length != names.Count)
            {
                throw new CliException(ExitCode.Usage, $"{ports.Length} --port given for {names.Count} unit(s).", "give --port once (boards swapped in turn) or once per unit, in the order of --units.");
            }

            if (consoles.Length != 0 && consoles.Length != ports.Length)
            {
                throw new CliException(ExitCode.Usage, $"{consoles.Length} --console given for {ports.Length} --port.", "give --console once per --port, or leave it out to use each port.");
            }

            var unitFiles = race == null ? [] : names.ToDictionary(n => n, n => UnitFile.For(race, n, configPath!, parse.GetValue(files) ?? []), StringComparer.OrdinalIgnoreCase);
            if (race == null && parse.GetValue(files) is { Length: > 0 })
            {
                throw new CliException(ExitCode.Usage, "--file needs --config: files are put on a unit when it is provisioned.", "give --config race.cfg with --file.");
            }

            var plan = new FlashPlan(LoadBoard(parse.GetValue(board)!), FindImage(parse.GetValue(image)), race, unitFiles, Nanoff.Detect(parse.GetValue(nanoff)!, parse.GetValue(dryRun)));
            var target = JsonOption.Target(parse, json);
            var jobs = names.Select((n, i) => new FlashJob(n, ports.Length == 1 ? ports[0] : ports[i], consoles.Length == 0 ? (ports.Length == 1 ? ports[0] : ports[i]) : (consoles.Length == 1 ? consoles[0] : consoles[i]))).ToList();
            if (parse.GetValue(dryRun))
            {
                DryRun(output, plan, jobs);
                return (int)ExitCode.Ok;
            }

            var results = Run(output, plan, jobs, swap: ports.Length == 1 && jobs.Count > 1);
            if (target != JsonOption.StandardOutput)
            {
                Table(output, plan, results);
            }

            if (target != null)
            {
                output.WriteJson(new { board = plan.Board.Name, target = plan.Board.Target, nanoff = plan.Nanoff.Version?.ToString(), units = results, failed = results.Where(r => !r.Ok).Select(r => r.Unit) }, target == JsonOption.StandardOutput ? null : target);
            }

            var failed = results.Where(r => !r.Ok).ToList();
            if (failed.Count > 0)
            {
                throw new CliException(
                    failed[0].Code,
                    $"{failed.Count} of {results.Count} unit(s) failed: {string.Join("; ", failed.Select(f => $"{f.Unit} at '{f.FailedStep}': {f.Error}"))}",
                    failed[0].Fix ?? ExitCodes.Fix(failed[0].Code));
            }

            return (int)ExitCode.Ok;
        });
        return command;
    }

    private static void DryRun(CommandOutput output, FlashPlan plan, List<FlashJob> jobs)
    {
        if (plan.Nanoff.Note != null)
        {
            output.Out.WriteLine("# " + plan.Nanoff.Note);
        }

        output.Out.WriteLine($"# board {plan.Board.Name}, target {plan.Board.Target}, image {plan.Image}, nanoff {plan.Nanoff.Version?.ToString() ?? "2.x (assumed)"}");
        foreach (var job in jobs)
        {
            output.Out.WriteLine($"# unit {job.Unit}: nanoff on {job.Port}, console on {job.Console}");
            output.Out.WriteLine(plan.Nanoff.Show(plan.Nanoff.FlashFirmware(plan.Board.Target, job.Port)));
            output.Out.WriteLine(plan.Nanoff.Show(plan.Nanoff.DeployImage(plan.Board.Target, job.Port, plan.Image)));
            output.Out.WriteLine(plan.Nanoff.Show(plan.Nanoff.DeployFiles(plan.Board.Target, job.Port, $"<deploy.json: {plan.Board.File} to I:\\board.cfg>")));
            if (plan.Race != null)
            {
                foreach (var line in UnitProvisioner.Exchange(plan.Race, job.Unit, plan.Files[job.Unit]))
                {
                    output.Out.WriteLine(line);
                }

                output.Out.WriteLine("> selftest");
            }
            else
            {
                output.Out.WriteLine("> hello");
            }
        }
    }

    private static List<FlashResult> Run(CommandOutput output, FlashPlan plan, List<FlashJob> jobs, bool swap)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output.Error) });
        var results = new List<FlashResult>();
        for (var i = 0; i < jobs.Count; i++)
        {
            var job = jobs[i];
            if (swap && i > 0)
            {
                output.Error.WriteLine($"Plug in the board for unit {job.Unit} on {job.Port} and press Enter (Ctrl+C stops).");
                output.Error.Flush();
                if (Console.In.ReadLine() == null)
                {
                    results.AddRange(jobs.Skip(i).Select(j => FlashResult.Failed(j.Unit, plan.Board.Name, j.Port, j.Console, "swap board", "no board swapped in (standard input closed)", ExitCode.Usage, "run the command in a terminal, or give --port once per unit.")));
                    break;
                }
            }

            FlashResult? result = null;
            console.Progress().AutoClear(false).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn()).Start(context =>
            {
                var task = context.AddTask($"{job.Unit}: {s_steps[0]}", maxValue: s_steps.Length);
                result = FlashOne(plan, job, step =>
                {
                    task.Description = $"{job.Unit}: {s_steps[step]}";
                    task.Value = step;
                });
                task.Description = $"{job.Unit}: {(result.Ok ? "done" : "FAILED at " + result.FailedStep)}";
                task.Value = s_steps.Length;
            });
            results.Add(result!);
        }

        return results;
    }

    private static FlashResult FlashOne(FlashPlan plan, FlashJob job, Action<int> progress)
    {
        var step = 0;
        var deploy = Path.Combine(Path.GetTempPath(), $"timingmat-deploy-{Environment.ProcessId}-{job.Unit}.json");
        string? firmware = null;
        string? checksum = null;
        SelfTestReport? report = null;
        try
        {
            var nanoff = plan.Nanoff;
            progress(step);
            nanoff.Run(s_steps[step], nanoff.FlashFirmware(plan.Board.Target, job.Port));
            progress(++step);
            nanoff.Run(s_steps[step], nanoff.DeployImage(plan.Board.Target, job.Port, plan.Image));
            progress(++step);
            File.WriteAllText(deploy, JsonSerializer.Serialize(new { serialport = job.Port, files = new[] { new { DestinationFilePath = "I:\\board.cfg", SourceFilePath = plan.Board.File } } }));
            nanoff.Run(s_steps[step], nanoff.DeployFiles(plan.Board.Target, job.Port, deploy));
            progress(++step);
            using var session = ConsoleSession.Open(job.Console, _ => { }, TimeSpan.FromSeconds(30));
            firmware = session.Hello.Firmware;
            progress(++step);
            if (plan.Race != null)
            {
                checksum = UnitProvisioner.Provision(session, plan.Race, job.Unit, plan.Files[job.Unit]);
                firmware = session.Hello.Firmware;
                progress(++step);
                report = UnitProvisioner.SelfTest(session);
                if (!report.Passed)
                {
                    return new FlashResult(job.Unit, UnitIdOf(plan, job.Unit), plan.Board.Name, job.Port, job.Console, firmware, checksum, "fail", report.Checks, s_steps[step], report.Summary, ExitCode.SelfTestFailed, ExitCodes.Fix(ExitCode.SelfTestFailed));
                }
            }

            return new FlashResult(job.Unit, UnitIdOf(plan, job.Unit), plan.Board.Name, job.Port, job.Console, firmware, checksum, report == null ? "not run (no race file)" : "pass", report?.Checks ?? [], null, null, ExitCode.Ok, null);
        }
        catch (CliException e)
        {
            return new FlashResult(job.Unit, UnitIdOf(plan, job.Unit), plan.Board.Name, job.Port, job.Console, firmware, checksum, "not run", report?.Checks ?? [], s_steps[step], e.Message.TrimEnd('.'), e.Code, e.Fix);
        }
        finally
        {
            File.Delete(deploy);
        }
    }

    private static int? UnitIdOf(FlashPlan plan, string unit) => plan.Race?.ConfigOf(unit).Unit;

    private static void Table(CommandOutput output, FlashPlan plan, List<FlashResult> results)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output.Out), Interactive = InteractionSupport.No });
        var table = new Table().AddColumns("unit", "board", "firmware", "config checksum", "self-test");
        foreach (var r in results)
        {
            var selfTest = r.Ok ? r.SelfTest : (r.FailedStep == "self-test" ? "FAIL: " + string.Join(", ", r.Checks.Where(c => c.Result == "fail").Select(c => c.Name)) : $"FAILED at {r.FailedStep}");
            table.AddRow(Markup.Escape(r.Unit), Markup.Escape(r.Board), Markup.Escape(r.Firmware ?? "-"), Markup.Escape(r.Checksum ?? "-"), Markup.Escape(selfTest));
        }

        console.Write(table);
        foreach (var r in results.Where(r => !r.Ok))
        {
            output.Out.WriteLine($"{r.Unit}: {r.Error}");
            foreach (var check in r.Checks.Where(c => c.Result == "fail"))
            {
                output.Out.WriteLine($"  {check.Name}: {check.Reason}");
            }
        }
    }

    private static BoardFile LoadBoard(string folder)
    {
        var file = Path.GetFullPath(Path.Combine(folder, "board.cfg"));
        var text = System.Text.Encoding.UTF8.GetString(InputFiles.ReadAllBytes(file));
        try
        {
            var profile = BoardProfile.Parse(text);
            return new BoardFile(profile.Name, profile.Target, file);
        }
        catch (BoardProfileException e)
        {
            throw new CliException(ExitCode.InvalidInput, $"{file}: {e.Message}", "fix the board file; boards/README.md lists its keys.");
        }
    }

    private static string FindImage(string? given)
    {
        var candidates = given == null ? s_defaultImages : [given];
        foreach (var candidate in candidates)
        {
            if (File.Exists(candidate) && candidate.EndsWith(".bin", StringComparison.OrdinalIgnoreCase))
            {
                return Path.GetFullPath(candidate);
            }

            var inFolder = Path.Combine(candidate, ImageName);
            if (File.Exists(inFolder))
            {
                return Path.GetFullPath(inFolder);
            }
        }

        var where = string.Join(" or ", candidates);
        var pe = candidates.Where(Directory.Exists).SelectMany(d => Directory.GetFiles(d, "*.pe")).FirstOrDefault();
        throw new CliException(
            ExitCode.FileNotFound,
            pe != null
                ? $"the application image is not built: {where} holds {Path.GetFileName(pe)} but no {ImageName} (the deployment image nanoff writes to the board)."
                : $"the application image is not built: no {ImageName} in {where}.",
            "build firmware/TimingMat.Device with the nanoFramework project system (Visual Studio or VS Code, Release; it writes bin/Release/TimingMat.Device.bin), or give --image with the folder or file.");
    }

    private sealed record BoardFile(string Name, string Target, string File);

    private sealed record FlashPlan(BoardFile Board, string Image, RaceFile? Race, IReadOnlyDictionary<string, IReadOnlyList<UnitFile>> Files, Nanoff Nanoff);

    private sealed record FlashJob(string Unit, string Port, string Console);
}

/// <summary>One unit's row of the final table (and of <c>--json</c>).</summary>
internal sealed record FlashResult(
    string Unit,
    int? UnitId,
    string Board,
    string Port,
    string Console,
    string? Firmware,
    string? Checksum,
    string SelfTest,
    IReadOnlyList<SelfTestCheck> Checks,
    string? FailedStep,
    string? Error,
    [property: System.Text.Json.Serialization.JsonIgnore] ExitCode Code,
    [property: System.Text.Json.Serialization.JsonIgnore] string? Fix)
{
    public bool Ok => Code == ExitCode.Ok;

    public static FlashResult Failed(string unit, string board, string port, string console, string step, string error, ExitCode code, string fix) =>
        new(unit, null, board, port, console, null, null, "not run", [], step, error, code, fix);
}
