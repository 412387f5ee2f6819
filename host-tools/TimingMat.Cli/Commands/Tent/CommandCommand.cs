using System.CommandLine;
using System.Globalization;
using TimingMat.Cli.Infrastructure;
using TimingMat.Tent.Commands;

namespace TimingMat.Cli.Commands.Tent;

/// <summary>
/// <c>timingmat command arm|disarm|mode|cutoff|gun|wave|corral|replay|status|clock|reboot [ARG…] --unit U (--race race.cfg | --key-file FILE)</c>:
/// one signed command to one unit, waiting for its answer (firmware/docs/wire-formats.md §6).
/// </summary>
internal static class CommandCommand
{
    private static readonly Dictionary<string, (int Min, int Max, string Usage)> s_verbs = new(StringComparer.Ordinal)
    {
        ["arm"] = (0, 1, "arm [OPENS]: the window opens now, or at OPENS (ISO 8601 with a zone)"),
        ["disarm"] = (0, 0, "disarm: test mode"),
        ["mode"] = (1, 1, "mode timing|test"),
        ["cutoff"] = (1, 1, "cutoff TIME (ISO 8601 with a zone)"),
        ["gun"] = (0, 1, "gun [N]: a gun marker now (race or wave N)"),
        ["wave"] = (1, 1, "wave N: a wave-start marker now"),
        ["corral"] = (1, 1, "corral N: a corral-open marker now"),
        ["replay"] = (1, 2, "replay FROM [TO]: send stored passings again"),
        ["status"] = (0, 0, "status: publish the status now"),
        ["clock"] = (0, 0, "clock: a clock report"),
        ["reboot"] = (0, 0, "reboot"),
    };

    public static Command Create(CommandOutput output)
    {
        var tent = TentOptions.Create();
        var verb = new Argument<string>("verb") { Description = "arm, disarm, mode, cutoff, gun, wave, corral, replay, status, clock or reboot" };
        var arguments = new Argument<string[]>("arguments") { Description = "The verb's arguments (mode timing, cutoff 2026-10-04T09:30:00Z, replay 1 500 …)", Arity = ArgumentArity.ZeroOrMore };
        var unit = new Option<int>("--unit") { Description = "The unit to command", Required = true };
        var timeout = new Option<double>("--timeout-s") { Description = "How long to wait for the unit's answer, seconds", DefaultValueFactory = _ => 5.0 };
        var json = JsonOption.Create();
        var command = new Command("command", "Send one signed command to a unit and print its answer");
        command.Arguments.Add(verb);
        command.Arguments.Add(arguments);
        command.Options.Add(unit);
        foreach (var option in tent.All().Where(o => o != tent.Units).Concat([timeout, json]))
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            var id = parse.GetValue(unit);
            if (id is < 1 or > 65535)
            {
                throw new CliException(ExitCode.InvalidInput, $"--unit {id}: a unit id is 1-65535.");
            }

            return Run(output, tent.Read(parse, [id]), id, parse.GetValue(verb)!.ToLowerInvariant(), parse.GetValue(arguments) ?? [], parse.GetValue(timeout), JsonOption.Target(parse, json));
        });
        return command;
    }

    private static int Run(CommandOutput output, TentSettings settings, int unit, string verb, string[] arguments, double timeoutSeconds, string? json)
    {
        if (!s_verbs.TryGetValue(verb, out var shape))
        {
            throw new CliException(ExitCode.Usage, $"'{verb}' is not a command.", $"give one of {string.Join(", ", s_verbs.Keys)}.");
        }

        if (arguments.Length < shape.Min || arguments.Length > shape.Max || arguments.Any(a => a.Length == 0 || a.Any(c => c <= ' ' || c > '~')))
        {
            throw new CliException(ExitCode.Usage, $"{verb} takes {(shape.Min == shape.Max ? shape.Min.ToString(CultureInfo.InvariantCulture) : $"{shape.Min}-{shape.Max}")} argument(s) without spaces, not {arguments.Length}.", "usage: " + shape.Usage + ".");
        }

        var key = settings.Units[0].Key ?? throw new CliException(ExitCode.InvalidInput, $"no command key for unit {unit}.", $"give --race with a race file that sets the command.key of unit.id {unit} (docs/race-file.md), or --key-file with the unit's key.");
        CommandReply? reply;
        using (var commander = TentOptions.Connect(settings))
        {
            reply = commander.Send(unit, key, string.Join(' ', arguments.Prepend(verb)), TimeSpan.FromSeconds(timeoutSeconds));
        }

        if (reply == null)
        {
            throw new CliException(
                ExitCode.DeviceNotResponding,
                $"unit {unit} did not answer '{verb}' within {timeoutSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s.",
                $"check that unit {unit} is on and online (its retained status on {settings.Prefix}/{unit}/status says when it was last seen), then send the command again; a new one gets a new counter.");
        }

        if (json != null)
        {
            output.WriteJson(new CommandResult(unit, verb, arguments, reply.Result, reply.Reason, System.Text.Json.JsonDocument.Parse(reply.Json).RootElement.Clone()), json == JsonOption.StandardOutput ? null : json);
        }

        if (json != JsonOption.StandardOutput)
        {
            output.Out.WriteLine($"unit {unit} {verb}: {reply.Result}{(reply.Reason == null ? string.Empty : " (" + reply.Reason + ")")}");
            output.Out.WriteLine("  " + reply.Json);
        }

        if (reply.Result == "rejected")
        {
            throw new CliException(ExitCode.InvalidInput, $"unit {unit} rejected '{verb}': {reply.Reason}.", reply.Reason is "bad-tag" or "no-key" ? "the key does not match the unit's command.key: check the race file or --key-file against what the unit was provisioned with." : "see firmware/docs/wire-formats.md section 6 for the reason.");
        }

        if (!reply.IsAccepted)
        {
            throw new CliException(ExitCode.InvalidInput, $"unit {unit} refused '{verb}': {reply.Reason}.", "the unit's part said no (wrong-role: a marker on a mat that does not take it; not-in-timing-mode; clock-not-synced; invalid: check the argument).");
        }

        return (int)ExitCode.Ok;
    }

    private sealed record CommandResult(int Unit, string Verb, string[] Arguments, string Result, string? Reason, System.Text.Json.JsonElement Reply);
}
