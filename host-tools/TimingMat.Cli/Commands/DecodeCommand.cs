using System.CommandLine;
using TimingMat.Cli.Infrastructure;

namespace TimingMat.Cli.Commands;

/// <summary>
/// <c>timingmat decode &lt;protocol&gt; FILE</c>: decodes a captured log of a module's serial output through the firmware
/// core's own parsers and prints one JSON object per line, then a summary line with counts of what was accepted and
/// rejected. Each protocol adds its subcommand in <see cref="Create"/>.
/// </summary>
internal static class DecodeCommand
{
    public static Command Create(CommandOutput output)
    {
        var command = new Command("decode", "Decode a captured reader or GPS serial log with the firmware's parsers (JSON lines)");
        command.Subcommands.Add(DecodeMercuryCommand.Create(output));
        command.Subcommands.Add(DecodeR2000Command.Create(output));
        command.Subcommands.Add(DecodeNmeaCommand.Create(output));
        return command;
    }
}
