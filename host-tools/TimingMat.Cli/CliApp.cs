using System.CommandLine;
using System.Reflection;
using System.Text.Json;
using TimingMat.Cli.Commands;
using TimingMat.Cli.Commands.Provisioning;
using TimingMat.Cli.Infrastructure;

namespace TimingMat.Cli;

/// <summary>Builds the <c>timingmat</c> command tree and runs it with numbered exit codes and fix-it lines.</summary>
public static class CliApp
{
    /// <summary>Gets the tool's version as <c>--version</c> prints it.</summary>
    public static string Version { get; } =
        typeof(CliApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>Runs a command line.</summary>
    /// <param name="args">Arguments after the program name.</param>
    /// <param name="output">Where to write.</param>
    /// <returns>The process exit code.</returns>
    public static int Run(string[] args, CommandOutput output)
    {
        var root = Build(output);
        var parse = root.Parse(args);
        var json = args.Contains("--json");
        if (args.Length == 0)
        {
            // No command: show what there is, and say that a command is needed.
            root.Parse("--help").Invoke(new InvocationConfiguration { Output = output.Out, Error = output.Error });
            return Fail(output, json, new CliException(ExitCode.Usage, "no command given.", "run 'timingmat simulate' for the main job, or pick a command above."));
        }

        if (parse.Errors.Count > 0)
        {
            var command = parse.CommandResult.Command;
            var name = command == root ? "timingmat" : "timingmat " + command.Name;
            var messages = parse.Errors.Select(e => e.Message).ToList();
            if (messages.Count > 1)
            {
                // "Required command was not provided" only repeats what the unrecognised token already says.
                messages.RemoveAll(m => m.StartsWith("Required command", StringComparison.Ordinal));
            }

            return Fail(output, json, new CliException(ExitCode.Usage, string.Join("; ", messages), $"run '{name} --help' to see its arguments and options."));
        }

        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = output.Out, Error = output.Error, EnableDefaultExceptionHandler = false });
        }
        catch (CliException e)
        {
            return Fail(output, json, e);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return Fail(output, json, new CliException(ExitCode.InternalError, e.GetType().Name + ": " + e.Message));
        }
    }

    /// <summary>Builds the command tree.</summary>
    /// <param name="output">Where commands write.</param>
    /// <returns>The root command.</returns>
    public static RootCommand Build(CommandOutput output)
    {
        var root = new RootCommand("TimingMat: flash, provision, monitor and simulate UHF RFID timing-mat units.");
        root.Subcommands.Add(SimulateCommand.Create(output));
        root.Subcommands.Add(DecodeCommand.Create(output));
        root.Subcommands.Add(BenchCommand.Create(output));
        root.Subcommands.Add(CollectCommand.Create(output));
        root.Subcommands.Add(UnitCommand.Create(output));
        root.Subcommands.Add(HilCommand.Create(output));
        root.Subcommands.Add(FlashCommand.Create(output));
        root.Subcommands.Add(ProvisionCommand.Create(output));
        root.Subcommands.Add(SelfTestCommand.Create(output));
        root.Subcommands.Add(Commands.Tent.EmulateCommand.Create(output));
        root.Subcommands.Add(Commands.Tent.ClockCommand.Create(output));
        root.Subcommands.Add(Commands.Tent.MonitorCommand.Create(output));
        root.Subcommands.Add(Commands.Tent.CommandCommand.Create(output));
        root.Subcommands.Add(Commands.Tent.BrokerConfigCommand.Create(output));
        root.Subcommands.Add(Commands.RaceResults.AuditCommand.Create(output));
        root.Subcommands.Add(Commands.RaceResults.ExportCommand.Create(output));
        return root;
    }

    private static int Fail(CommandOutput output, bool json, CliException error)
    {
        var code = (int)error.Code;
        var name = ExitCodes.Name(error.Code);
        if (json)
        {
            output.Out.WriteLine(JsonSerializer.Serialize(new { error = new { code, name, message = error.Message, fix = error.Fix } }, CommandOutput.Json));
        }

        output.Error.WriteLine($"error TM{code} {name}: {error.Message}");
        output.Error.WriteLine($"  fix: {error.Fix}");
        return code;
    }
}
