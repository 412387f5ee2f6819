using System.CommandLine;
using TimingMat.Cli.Infrastructure;

namespace TimingMat.Cli.Commands;

/// <summary>
/// <c>timingmat bench &lt;what&gt;</c>: accuracy benchmarks that run the emulators against the real firmware core on
/// simulated time and print figures (desktop throughput benchmarks live in host-tools/TimingMat.Benchmarks, BenchmarkDotNet; these live in host-tools/TimingMat.Bench).
/// Each benchmark adds its subcommand in <see cref="Create"/>.
/// </summary>
internal static class BenchCommand
{
    public static Command Create(CommandOutput output)
    {
        var command = new Command("bench", "Benchmarks of the firmware core on emulated hardware, on simulated time: accuracy, and what it costs the device");
        command.Subcommands.Add(BenchClockCommand.Create(output));
        command.Subcommands.Add(BenchCrossingCommand.Create(output));
        command.Subcommands.Add(BenchDeviceCommand.Create(output));
        command.Subcommands.Add(BenchLoraCommand.Create(output));
        command.Subcommands.Add(BenchUplinkCommand.Create(output));
        return command;
    }
}
