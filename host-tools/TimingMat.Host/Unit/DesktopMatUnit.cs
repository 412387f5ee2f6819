using System.Diagnostics;
using System.Text;
using TimingMat.Core.Hardware;
using TimingMat.Core.Unit;
using TimingMat.Host.Clock;
using TimingMat.Host.Crypto;
using TimingMat.Host.Ports;
using TimingMat.Host.Storage;
using TimingMat.Mqtt;

namespace TimingMat.Host.Unit;

/// <summary>
/// The mat unit application (<see cref="MatUnit"/>) as a desktop process over real byte streams: the reader modules (1–8,
/// one UART each, into one crossing detector) and the GPS on serial devices or TCP serial bridges, PPS edges as bytes
/// on another port (<see cref="BytePortPpsSource"/>), the journal and the unit's state in a folder
/// (<see cref="DirectoryFileStore"/>), the desktop MQTT client, .NET's HMAC-SHA256 and a stopwatch clock. For bench
/// rigs, a mat unit built from a computer and USB reader modules, and as the unit under test of the
/// hardware-in-the-loop harness.
/// </summary>
/// <remarks>
/// Everything runs on the thread that calls <see cref="Run"/> (or <see cref="Poll"/>), as on the device; only the PPS
/// stamps and MQTT connects happen on their own threads. A broker that cannot be reached never stops the unit: it
/// journals and delivers later, as a mat does. A closed GPS port (bridge restarted, adapter replugged) is reopened every
/// second; each reader driver reopens its own port when it restarts its module. When the application asks for a reboot
/// (a signed <c>reboot</c> command, or its supervisor found a stall) the unit is built again on the same ports and folder,
/// as a board restarts. A watchdog timer calls <see cref="MatUnit.Supervise"/> every second, as the board's does; a loop
/// stuck for good cannot be restarted from inside the process (run it under a service manager that restarts it).
/// </remarks>
public sealed class DesktopMatUnit : IDisposable
{
    /// <summary>The version the desktop unit reports in its status.</summary>
    public static readonly string FirmwareVersion = "desktop-" + (typeof(DesktopMatUnit).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");

    private const long ReopenIntervalMicros = 1_000_000;

    private readonly DesktopUnitConfig _config;
    private readonly UnitPorts _addresses;
    private readonly StopwatchClock _clock = new();
    private readonly IBytePort[] _readers;
    private readonly IBytePort _gps;
    private readonly BytePortPpsSource? _pps;
    private readonly DirectoryFileStore _store;
    private readonly MqttLink _link;
    private readonly RestartInPlace _rebooter = new();
    private readonly UnitHardware _hardware;
    private UnitConsole? _console;
    private Timer? _watchdog;
    private long _nextGpsReopen;
    private bool _started;
    private bool _stopped;

    /// <summary>Initializes a new instance of the <see cref="DesktopMatUnit"/> class; opens nothing yet.</summary>
    /// <param name="config">The unit's configuration.</param>
    /// <param name="ports">Where the reader modules, GPS and PPS are.</param>
    /// <param name="broker">The race broker.</param>
    /// <param name="username">Broker user name, or null for the configuration's.</param>
    /// <param name="password">Broker password, or null for the configuration's.</param>
    /// <param name="configureClient">Adjusts the MQTT client (TLS trust).</param>
    /// <exception cref="ArgumentException">No reader port or more than <see cref="MatUnit.MaxReaders"/>, one port given twice (<see cref="PortClash"/>), or not as many ports as <c>reader.modules</c> says.</exception>
    /// <exception cref="FormatException">A port address is neither <c>tcp://host:port</c> nor a device path.</exception>
    /// <exception cref="IOException">The journal folder cannot be created.</exception>
    public DesktopMatUnit(DesktopUnitConfig config, UnitPorts ports, MqttBrokerAddress broker, string? username = null, string? password = null, Action<MqttLinkOptions>? configureClient = null)
    {
        if (ports.Readers.Count is 0 or > MatUnit.MaxReaders)
        {
            throw new ArgumentException($"a unit has 1-{MatUnit.MaxReaders} reader modules, not {ports.Readers.Count}", nameof(ports));
        }

        if (PortClash.Find(ports.All()) is { } clash)
        {
            throw new ArgumentException(clash.Message, nameof(ports));
        }

        _config = config;
        _addresses = ports;

        // Every module speaks the configured protocol at the configured speed; only its port differs.
        _readers = [.. ports.Readers.Select(address => BytePortAddress.Create(address, config.Unit.ReaderBaud))];
        _gps = BytePortAddress.Create(ports.Gps, config.GpsBaud);
        _pps = ports.Pps == null ? null : new BytePortPpsSource(BytePortAddress.Create(ports.Pps, 115_200), _clock);
        Settings = config.Unit.ToSettings();
        Settings.Uplink.Username = username ?? config.Unit.MqttUsername;
        Settings.Uplink.Password = password ?? config.Unit.MqttPassword;

        // A desktop journal gets a random id on creation, as the device does from its RNG: a recreated journal must not
        // look like the old one to the collector.
        Settings.Journal.NewJournalId = Random.Shared.Next(1, int.MaxValue);
        _store = new DirectoryFileStore(config.JournalDirectory);
        _link = new MqttLink(broker, link =>
        {
            configureClient?.Invoke(link);
            link.ReceiveClock = _clock;
        });
        _hardware = new UnitHardware
        {
            Clock = _clock,
            Readers = _readers,
            Gps = _gps,
            Pps = (IPpsSource?)_pps ?? new NoPps(),
            Store = _store,
            Mqtt = _link,
            Hmac = DesktopHmacSha256.Instance,
            Rebooter = _rebooter,
            FirmwareVersion = FirmwareVersion,
        };
        Unit = new MatUnit(config.Unit, Settings, _hardware);
    }

    /// <summary>Gets the core's settings the unit runs with.</summary>
    public MatUnitSettings Settings { get; }

    /// <summary>Gets the unit application (touch it only from the polling thread); a new one after each restart.</summary>
    public MatUnit Unit { get; private set; }

    /// <summary>
    /// Gets or sets the unit console this unit serves from its loop (firmware/docs/console.md), or null; it stays attached
    /// across restarts in place. <see cref="DesktopConsoleUnit"/> owns it and its port.
    /// </summary>
    public UnitConsole? Console
    {
        get => _console;
        set
        {
            _console = value;
            if (value != null)
            {
                Unit.AttachConsole(value);
            }
        }
    }

    /// <summary>Gets the journal folder (the unit's storage).</summary>
    public string JournalDirectory => _config.JournalDirectory;

    /// <summary>Gets how many times the application restarted itself (reboot command, supervisor).</summary>
    public int Restarts { get; private set; }

    /// <summary>Gets why the last connect failed or the connection dropped, or <c>null</c>.</summary>
    public string? LinkError => _link.LastError;

    /// <summary>Opens the ports and the journal (recovering it after a crash); the unit takes its configured mode and window.</summary>
    /// <exception cref="PortOpenException">A port cannot be opened.</exception>
    /// <exception cref="IOException">The journal cannot be opened.</exception>
    public void Start()
    {
        for (var i = 0; i < _readers.Length; i++)
        {
            PortOpenException.Open(_readers[i], PortRole.Reader(i, _readers.Length), _addresses.Readers[i]);
        }

        PortOpenException.Open(_gps, "gps", _addresses.Gps);
        if (_pps != null)
        {
            try
            {
                _pps.Start();
            }
            catch (InvalidOperationException e)
            {
                throw new PortOpenException("pps", _addresses.Pps!, e.InnerException ?? e);
            }
        }

        if (!Unit.Start())
        {
            throw new IOException($"the journal in '{_config.JournalDirectory}' cannot be opened (storage fault or no space)");
        }

        _started = true;

        // As on the board: a watchdog thread asks the unit every second whether its loop is stuck in a part.
        _watchdog = new Timer(_ => Unit.Supervise(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    /// <summary>Does one round of the unit's work; never blocks.</summary>
    public void Poll()
    {
        Unit.Poll();
        if (_rebooter.Requested)
        {
            Restart();
        }

        var now = _clock.GetMicroseconds();
        if (!_gps.IsOpen && now >= _nextGpsReopen)
        {
            _nextGpsReopen = now + ReopenIntervalMicros;
            try
            {
                _gps.Open();
            }
            catch (InvalidOperationException)
            {
                // Still away; the clock holds over meanwhile and the next try is in a second.
            }
        }
    }

    /// <summary>Polls until cancelled or for a while, reporting the unit's status now and then, then stops cleanly.</summary>
    /// <param name="cancel">Stops the unit (Ctrl+C, SIGTERM).</param>
    /// <param name="duration">How long to run, or null until cancelled.</param>
    /// <param name="statusInterval">How often <paramref name="status"/> is called.</param>
    /// <param name="status">Receives the unit's status JSON (firmware/docs/wire-formats.md §7), on this thread.</param>
    /// <param name="pollInterval">The pause between polls (the device polls every few ms).</param>
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
                status?.Invoke(StatusJson());
            }

            cancel.WaitHandle.WaitOne(pollInterval);
        }

        Stop();
    }

    /// <summary>Writes the unit's status now, as it publishes it; call from the polling thread.</summary>
    /// <returns>The status JSON.</returns>
    public string StatusJson() =>
        Encoding.UTF8.GetString(Unit.Status.Render(_clock.GetMicroseconds(), _stopped || !Unit.Uplink.IsOnline ? "offline" : "online") ?? []);

    /// <summary>
    /// Stops cleanly: open crossings closed, held passings stored, the journal committed, the retained status set to
    /// offline, the broker disconnected. Does nothing the second time.
    /// </summary>
    public void Stop()
    {
        if (!_started || _stopped)
        {
            return;
        }

        _stopped = true;
        _watchdog?.Dispose();
        Unit.Stop();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Stop();
        _pps?.Dispose();
        foreach (var reader in _readers)
        {
            reader.Close();
            (reader as IDisposable)?.Dispose();
        }

        _gps.Close();
        (_gps as IDisposable)?.Dispose();
        _link.Dispose();
        _store.Dispose();
    }

    private void Restart()
    {
        // A board's reboot drops its TCP session without a DISCONNECT: the broker publishes the unit's will.
        _rebooter.Requested = false;
        _link.Disconnect();
        Restarts++;
        Unit = new MatUnit(_config.Unit, Settings, _hardware);
        if (_console != null)
        {
            Unit.AttachConsole(_console);
        }

        if (!Unit.Start())
        {
            throw new IOException($"the journal in '{_config.JournalDirectory}' cannot be opened after a restart (storage fault or no space)");
        }
    }

    /// <summary>The PPS input of a unit run without one: no edges, so the clock never locks.</summary>
    private sealed class NoPps : IPpsSource
    {
        public int DroppedEdges => 0;

        public bool TryTakeEdge(out long localMicros)
        {
            localMicros = 0;
            return false;
        }
    }

    /// <summary>The desktop unit's reboot: the application is built again at the end of the poll that asked.</summary>
    private sealed class RestartInPlace : IRebooter
    {
        public bool Requested { get; set; }

        public void Reboot() => Requested = true;
    }
}
