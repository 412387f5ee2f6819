namespace TimingMat.Cli.Infrastructure;

/// <summary>Names and fix-it lines of the exit codes.</summary>
public static class ExitCodes
{
    /// <summary>Gets the kebab-case name used in messages and JSON, e.g. <c>file-not-found</c>.</summary>
    /// <param name="code">The exit code.</param>
    /// <returns>The name.</returns>
    public static string Name(ExitCode code) => code switch
    {
        ExitCode.Ok => "ok",
        ExitCode.InternalError => "internal-error",
        ExitCode.Usage => "usage",
        ExitCode.FileNotFound => "file-not-found",
        ExitCode.FileUnreadable => "file-unreadable",
        ExitCode.InvalidInput => "invalid-input",
        ExitCode.PortUnavailable => "port-unavailable",
        ExitCode.DeviceNotResponding => "device-not-responding",
        ExitCode.ToolMissing => "tool-missing",
        ExitCode.FlashFailed => "flash-failed",
        ExitCode.SelfTestFailed => "selftest-failed",
        ExitCode.ClockNotSynced => "clock-not-synced",
        ExitCode.BrokerUnreachable => "broker-unreachable",
        ExitCode.ScenarioInvalid => "scenario-invalid",
        ExitCode.PassingsLost => "passings-lost",
        ExitCode.StorageFailed => "storage-failed",
        ExitCode.RuleViolations => "rule-violations",
        ExitCode.FleetAlarms => "fleet-alarms",
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, "unknown exit code"),
    };

    /// <summary>Gets the generic fix-it advice for a code; a command may give a more specific one.</summary>
    /// <param name="code">The exit code.</param>
    /// <returns>One line of advice.</returns>
    public static string Fix(ExitCode code) => code switch
    {
        ExitCode.Ok => string.Empty,
        ExitCode.InternalError => "this is a bug in timingmat: report it with the command line and the output above.",
        ExitCode.Usage => "run the command with --help to see its arguments and options.",
        ExitCode.FileNotFound => "check the path; relative paths start from the current folder.",
        ExitCode.FileUnreadable => "check the file's permissions and that no other program holds it locked.",
        ExitCode.InvalidInput => "check the file or value against the format in the command's --help.",
        ExitCode.PortUnavailable => "check the cable, that no other program has the port open, and that your user may open it (dialout group).",
        ExitCode.DeviceNotResponding => "check power and wiring, then the baud rate; boards/<board>/README.md has the pin map.",
        ExitCode.ToolMissing => "install nanoff: dotnet tool install -g nanoff (then open a new shell so ~/.dotnet/tools is on PATH).",
        ExitCode.FlashFailed => "hold the board's BOOT (IO0) button while nanoff connects, use a data USB cable, and close other programs using the port; then run the same command again.",
        ExitCode.SelfTestFailed => "fix what the failed checks name (each line says what to check), then run 'timingmat selftest --port PORT'.",
        ExitCode.ClockNotSynced => "give the GPS a clear view of the sky and wait for a fix; check the PPS wire.",
        ExitCode.BrokerUnreachable => "check the broker URL (mqtt://host:port), that the broker runs, and the network path to it.",
        ExitCode.ScenarioInvalid => "fix the scenario file at the place named above; 'timingmat simulate --help' lists the built-in scenarios.",
        ExitCode.PassingsLost => "inspect the report's lost passings; a lost passing is a bug or an unhandled fault.",
        ExitCode.StorageFailed => "check free space and the storage medium.",
        ExitCode.RuleViolations => "review the listed athletes before publishing results.",
        ExitCode.FleetAlarms => "see to each unit named (docs/monitor.md says what each alarm means and what to check), then run monitor again.",
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, "unknown exit code"),
    };
}
