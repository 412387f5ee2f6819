using System.CommandLine;
using TimingMat.Cli.Infrastructure;

namespace TimingMat.Cli.Commands.Provisioning;

/// <summary><c>timingmat selftest --port ADDR</c>: runs a unit's self-test through its console, one line per check; exit 24 when a check fails.</summary>
internal static class SelfTestCommand
{
    public static Command Create(CommandOutput output)
    {
        var port = new Option<string>("--port") { Description = "The unit's console: tcp://host:port or a serial device", Required = true, HelpName = "ADDR" };
        var verbose = new Option<bool>("--verbose") { Description = "Print every console exchange on standard error" };
        var json = JsonOption.Create();
        var command = new Command("selftest", "Run a unit's self-test: reader, GPS, fix, PPS, storage, uplink, LoRa and battery, each pass or fail with a reason");
        foreach (var option in new Option[] { port, verbose, json })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            var address = parse.GetValue(port)!;
            var target = JsonOption.Target(parse, json);
            var human = target != JsonOption.StandardOutput;
            var log = parse.GetValue(verbose) ? (Action<string>)(l => output.Error.WriteLine("  " + l)) : _ => { };
            using var console = ConsoleSession.Open(address, log, TimeSpan.FromSeconds(10));
            if (human)
            {
                output.Out.WriteLine($"Self-test of unit {console.Hello.Unit} on {address} (firmware {console.Hello.Firmware}, configuration {console.Hello.Checksum}):");
                output.Out.Flush();
            }

            var report = UnitProvisioner.SelfTest(console, check =>
            {
                if (human)
                {
                    output.Out.WriteLine($"  {check.Name,-8} {check.Result.ToUpperInvariant(),-4}  {check.Reason}");
                    output.Out.Flush();
                }
            });
            if (human)
            {
                output.Out.WriteLine("Self-test " + report.Summary + ".");
            }

            if (target != null)
            {
                output.WriteJson(new { unit = console.Hello.Unit, port = address, firmware = console.Hello.Firmware, checksum = console.Hello.Checksum, passed = report.Passed, checks = report.Checks }, target == JsonOption.StandardOutput ? null : target);
            }

            if (!report.Passed)
            {
                throw new CliException(ExitCode.SelfTestFailed, $"unit {console.Hello.Unit} failed its self-test: {string.Join("; ", report.Checks.Where(c => c.Result == "fail").Select(c => c.Name + ": " + c.Reason))}.");
            }

            return (int)ExitCode.Ok;
        });
        return command;
    }
}
