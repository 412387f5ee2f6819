using System.Diagnostics;
using TimingMat.Core.Hardware;
using TimingMat.Core.Unit;
using TimingMat.Host.Clock;
using TimingMat.Host.Ports;
using TimingMat.Host.Storage;

namespace TimingMat.Host.Unit;

/// <summary>
/// A desktop unit that is provisioned as a board is: it serves the unit console (firmware/docs/console.md) on a port of
/// its own (<c>tcp://host:port</c>, which it listens on, or a serial device) and keeps its configuration in its folder's
/// <c>unit.cfg</c>, as a board keeps it on flash. Without a configuration it runs the console alone, as a fresh board
/// does; a commit on the console writes <c>unit.cfg</c> and the unit is built again on it (ports reopened, journal
/// recovered), as a board reboots. So <c>timingmat provision</c>, <c>flash</c> and <c>selftest</c> are tested end to end
/// against <c>timingmat unit --console</c> without a board.
/// </summary>
public sealed class DesktopConsoleUnit : IDisposable
{
    private readonly Func<DesktopUnitConfig, DesktopMatUnit> _build;
    private readonly Action<string> _notice;
    private readonly string _address;
    private readonly IBytePort _port;
    private readonly DirectoryFileStore _store;
    private readonly CommitReboot _rebooter = new();
    private readonly int _gpsBaud;
    private DesktopUnitConfig? _initial;
    private int _commitsSeen;
    private bool _started;

    /// <summary>Initializes a new instance of the <see cref="DesktopConsoleUnit"/> class; opens nothing yet.</summary>
    /// <param name="consoleAddress">Where the console is served: <c>tcp://host:port</c> (listened on) or a serial device.</param>
    /// <param name="folder">The unit's folder: its journal, its state and its <c>unit.cfg</c>.</param>
    /// <param name="initial">The configuration to start with (<c>--config</c>), or null to take the folder's <c>unit.cfg</c>.</param>
    /// <param name="gpsBaud">The GPS UART's speed for configurations the console writes (they hold only the unit's keys).</param>
    /// <param name="build">Builds the unit for a configuration (ports, broker).</param>
    /// <param name="notice">Receives what a technician should know (a configuration the unit cannot run, a restart).</param>
    /// <exception cref="FormatException">The console address is neither form.</exception>
    /// <exception cref="IOException">The folder cannot be created.</exception>
    public DesktopConsoleUnit(string consoleAddress, string folder, DesktopUnitConfig? initial, int gpsBaud, Func<DesktopUnitConfig, DesktopMatUnit> build, Action<string> notice)
    {
        _address = consoleAddress;
        _port = CreatePort(consoleAddress);
        Folder = Path.GetFullPath(folder);
        _store = new DirectoryFileStore(Folder);
        _initial = initial;
        _gpsBaud = gpsBaud;
        _build = build;
        _notice = notice;
        Console = new UnitConsole(_port, _store, new StopwatchClock(), _rebooter, DesktopMatUnit.FirmwareVersion);
    }

    /// <summary>Gets the unit's folder.</summary>
    public string Folder { get; }

    /// <summary>Gets the console.</summary>
    public UnitConsole Console { get; }

    /// <summary>Gets the running unit, or null while it has no configuration it can run.</summary>
    public DesktopMatUnit? Current { get; private set; }

    /// <summary>Gets how many times the unit was built again on a committed configuration.</summary>
    public int Reconfigurations { get; private set; }

    /// <summary>Creates the port a console address names: a TCP port the unit listens on, or a serial device at 115,200 baud.</summary>
    /// <param name="address"><c>tcp://host:port</c>, <c>/dev/…</c> or <c>COMn</c>.</param>
    /// <returns>The port, not open.</returns>
    /// <exception cref="FormatException">Neither form.</exception>
    public static IBytePort CreatePort(string address)
    {
        var port = BytePortAddress.Create(address, 115_200);
        if (port is TcpBytePort)
        {
            var rest = address[6..].TrimEnd('/');
            var colon = rest.LastIndexOf(':');
            (port as IDisposable)?.Dispose();
            return new TcpServerBytePort(rest[..colon], int.Parse(rest[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        }

        return port;
    }

    /// <summary>Opens the console's port and starts the unit when it has a configuration.</summary>
    /// <exception cref="PortOpenException">The console's port, or one of the unit's, cannot be opened.</exception>
    /// <exception cref="IOException">The journal cannot be opened.</exception>
    public void Start()
    {
        PortOpenException.Open(_port, "console", _address);
        _started = true;
        var config = _initial ?? Stored();
        _initial = null;
        if (config != null)
        {
            Run(config);
        }
    }

    /// <summary>Does one round of work (the unit's, which serves the console, or the console's alone); never blocks.</summary>
    public void Poll()
    {
        if (Current != null)
        {
            Current.Poll();
        }
        else
        {
            Console.Poll();
        }

        // A commit rebuilds the unit at once (with no unit running, the console would also ask its rebooter a second later).
        if (Console.Commits != _commitsSeen || (_rebooter.Requested && Current == null))
        {
            _commitsSeen = Console.Commits;
            _rebooter.Requested = false;
            Reconfigure();
        }
    }

    /// <summary>Polls until cancelled or for a while, reporting the unit's status now and then, then stops cleanly.</summary>
    /// <param name="cancel">Stops the unit.</param>
    /// <param name="duration">How long to run, or null until cancelled.</param>
    /// <param name="statusInterval">How often <paramref name="status"/> is called while a unit runs.</param>
    /// <param name="status">Receives the unit's status JSON.</param>
    /// <param name="pollInterval">The pause between polls.</param>
    public void Run(CancellationToken cancel, TimeSpan? duration, TimeSpan statusInterval, Action<string>? status, TimeSpan pollInterval)
    {
        var watch = Stopwatch.StartNew();
        var nextStatus = statusInterval;
        while (!cancel.IsCancellationRequested && (duration == null || watch.Elapsed < duration))
        {
            Poll();
            if (watch.Elapsed >= nextStatus)
            {
                nextStatus += statusInterval;
                if (Current != null)
                {
                    status?.Invoke(Current.StatusJson());
                }
            }

            cancel.WaitHandle.WaitOne(pollInterval);
        }

        Current?.Stop();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Current?.Dispose();
        Current = null;
        _port.Close();
        (_port as IDisposable)?.Dispose();
        _store.Dispose();
    }

    private void Reconfigure()
    {
        // As a board reboots: the running unit stops cleanly (journal committed, status offline) and the new one starts.
        if (Current != null)
        {
            Current.Dispose();
            Current = null;
        }

        Reconfigurations++;
        var config = Stored();
        if (config != null && _started)
        {
            _notice($"configuration committed on the console: unit {config.Unit.Unit} restarts on it");
            Run(config);
        }
    }

    private void Run(DesktopUnitConfig config)
    {
        DesktopMatUnit? unit = null;
        try
        {
            unit = _build(config);
            unit.Start();
            unit.Console = Console;
            Current = unit;
        }
        catch (Exception e) when (e is PortOpenException or IOException or ArgumentException or FormatException or UnauthorizedAccessException)
        {
            // A board that cannot run its configuration says why and keeps its console, so it can be fixed.
            unit?.Dispose();
            Console.Unit = null;
            _notice($"the unit cannot run its configuration: {e.Message}; the console still answers on {_address}");
        }
    }

    private DesktopUnitConfig? Stored()
    {
        var text = new UnitConfigStore(_store).Read();
        if (text == null)
        {
            return null;
        }

        try
        {
            var config = UnitConfigFile.ParseKeyValue(text, UnitConfigStore.FileName, Folder);
            return config with { JournalDirectory = Folder, GpsBaud = _gpsBaud };
        }
        catch (Json.JsonInputException e)
        {
            _notice($"{Path.Combine(Folder, UnitConfigStore.FileName)} is not valid ({e.Message}): the unit waits for a good one on the console");
            return null;
        }
    }

    /// <summary>What the console asks for after a commit while no unit runs: the unit is built again at the end of the poll.</summary>
    private sealed class CommitReboot : IRebooter
    {
        public bool Requested { get; set; }

        public void Reboot() => Requested = true;
    }
}
