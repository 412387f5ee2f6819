namespace TimingMat.Cli.Infrastructure;

/// <summary>
/// The numbered exit codes of <c>timingmat</c>, grouped by area like nanoff's. Every failure prints
/// <c>error TM&lt;code&gt; &lt;name&gt;: message</c> and a <c>fix:</c> line (<see cref="ExitCodes.Fix"/>).
/// Codes stay below 256 so a shell sees them unchanged.
/// </summary>
public enum ExitCode
{
    /// <summary>Success.</summary>
    Ok = 0,

    /// <summary>An unexpected internal error (a bug).</summary>
    InternalError = 1,

    /// <summary>The command line could not be parsed.</summary>
    Usage = 2,

    /// <summary>An input file does not exist (10–19: input files).</summary>
    FileNotFound = 10,

    /// <summary>An input file exists but cannot be read.</summary>
    FileUnreadable = 11,

    /// <summary>An input file or value has the wrong format.</summary>
    InvalidInput = 12,

    /// <summary>A serial port or TCP serial bridge cannot be opened (20–29: devices).</summary>
    PortUnavailable = 20,

    /// <summary>A device does not answer.</summary>
    DeviceNotResponding = 21,

    /// <summary>A tool the command drives (nanoff) is not installed.</summary>
    ToolMissing = 22,

    /// <summary>Flashing failed: a nanoff step exited with an error, or the unit did not keep the configuration written to it.</summary>
    FlashFailed = 23,

    /// <summary>A unit's self-test failed (the report names the checks).</summary>
    SelfTestFailed = 24,

    /// <summary>Mat clocks are not synchronised or disagree (30–39: clock).</summary>
    ClockNotSynced = 30,

    /// <summary>The MQTT broker cannot be reached (40–49: broker and network).</summary>
    BrokerUnreachable = 40,

    /// <summary>A scenario file is invalid (50–59: scenarios and simulation).</summary>
    ScenarioInvalid = 50,

    /// <summary>A simulation finished with passings lost.</summary>
    PassingsLost = 51,

    /// <summary>Local storage (journal, SQLite) failed (60–69: storage).</summary>
    StorageFailed = 60,

    /// <summary>A race-rules audit found violations (70–79: race rules).</summary>
    RuleViolations = 70,

    /// <summary>The fleet has alarms standing: <c>monitor --once</c> names them (80–89: race-day monitoring).</summary>
    FleetAlarms = 80,
}
