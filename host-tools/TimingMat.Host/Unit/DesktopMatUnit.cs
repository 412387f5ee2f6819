using System.Diagnostics;
using TimingMat.Core.Clock;
using TimingMat.Core.Hardware;
using TimingMat.Core.RaceDay;
using TimingMat.Core.Reader;
using TimingMat.Core.Unit;
using TimingMat.Host.Clock;
using TimingMat.Host.Ports;
using TimingMat.Host.Storage;
using TimingMat.Host.Uplink;
using TimingMat.Mqtt;

namespace TimingMat.Host.Unit;

/// <summary>
/// The real firmware core (<see cref="MatUnit"/>) as a desktop process over real byte streams: the reader modules (1–8,
/// one UART each, into one crossing detector) and the GPS on serial devices or TCP serial bridges, PPS edges as bytes
/// on another port (<see cref="BytePortPpsSource"/>), the journal in a folder (<see cref="DirectoryFileStore"/>), the
/// desktop MQTT client and a stopwatch clock. For bench rigs, a mat unit built from a computer and USB reader modules,
/// and as the unit under test of the hardware-in-the-loop harness.
/// </summary>
/// <remarks>
/// Everything runs on the thread that calls <see cref="Run"/> (or <see cref="Poll"/>), as on the device; only the PPS
/// stamps are taken on their own thread. A broker that cannot be reached never stops the unit: it journals and
/// delivers later, as a mat does. A closed GPS port (bridge restarted, adapter replugged) is reopened every second;
/// each reader driver reopens its own port when it restarts its module.
/// </remarks>
public sealed class DesktopMatUnit : IDisposable
{
    private const long ReopenIntervalMicros = 1_000_000;

    private readonly UnitConfig _config;
    private readonly UnitPorts _addresses;
    private readonly StopwatchClock _clock = new();
    private readonly IBytePort[] _readers;
    private readonly IBytePort _gps;
    private readonly BytePortPpsSource? _pps;
    private readonly DirectoryFileStore _store;
    private readonly MqttLink _link;
    private long _nextGpsReopen;
    private bool _started;
    private bool _stopped;

    /// <summary>Initializes a new instance of the <see cref="DesktopMatUnit"/> class; opens nothing yet.</summary>
    /// <param name="config">The unit's configuration.</param>
    /// <param name="ports">Where the reader modules, GPS and PPS are.</param>
    /// <param name="broker">The race broker.</param>
    /// <param name="username">Broker user name, or null.</param>
    /// <param name="password">Broker password, or null.</param>
    /// <param name="configureClient">Adjusts the MQTT client (TLS trust).</param>
    /// <exception cref="ArgumentException">No reader port or more than <see cref="MatUnit.MaxReaders"/>, or one port given twice (<see cref="PortClash"/>).</exception>
    /// <exception cref="FormatException">A port address is neither <c>tcp://host:port</c> nor a device path.</exception>
    /// <exception cref="IOException">The journal folder cannot be created.</exception>
    public DesktopMatUnit(UnitConfig config, UnitPorts ports, MqttBrokerAddress broker, string? username = null, string? password = null, Action<MqttClientOptions>? configureClient = null)
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
        _readers = [.. ports.Readers.Select(address => BytePortAddress.Create(address, config.ReaderBaud))];
        _gps = BytePortAddress.Create(ports.Gps, config.GpsBaud);
        _pps = ports.Pps == null ? null : new BytePortPpsSource(BytePortAddress.Create(ports.Pps, 115_200), _clock);
        Settings = config.ToSettings();
        Settings.Uplink.Username = username;
        Settings.Uplink.Password = password;
        _store = new DirectoryFileStore(config.JournalDirectory);
        _link = new MqttLink(broker, client =>
        {
            // The unit's loop waits inside a connect attempt: keep it short so a black-holed broker stalls timing briefly.
            client.ConnectTimeout = TimeSpan.FromSeconds(2);
            configureClient?.Invoke(client);
        });
        Unit = new MatUnit(Settings, _clock, _readers, _gps, (IPpsSource?)_pps ?? new NoPps(), _store, _link, radio: null);
    }

    /// <summary>Gets the core's settings the unit runs with.</summary>
    public MatUnitSettings Settings { get; }

    /// <summary>Gets the firmware core (touch it only from the polling thread).</summary>
    public MatUnit Unit { get; }

    /// <summary>Opens the ports and the journal (recovering it after a crash), then arms the unit when configured.</summary>
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
        if (_config.Timing)
        {
            // The window is UTC and the clock has none yet: it is set now and judged per passing once the clock locks.
            if (_config.OpensUtcMicros is long opens)
            {
                Unit.RaceDay.ArmAt(opens);
            }

            if (_config.CutOffUtcMicros is long cutOff)
            {
                Unit.RaceDay.CutOffAt(cutOff);
            }

            Unit.RaceDay.EnterTimingMode();
        }
    }

    /// <summary>Does one round of the unit's work; never blocks except inside a broker connect attempt.</summary>
    public void Poll()
    {
        Unit.Poll();
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

    /// <summary>Polls until cancelled or for a while, reporting the state now and then, then stops cleanly.</summary>
    /// <param name="cancel">Stops the unit (Ctrl+C, SIGTERM).</param>
    /// <param name="duration">How long to run, or null until cancelled.</param>
    /// <param name="statusInterval">How often <paramref name="status"/> is called.</param>
    /// <param name="status">Receives the state, on this thread.</param>
    /// <param name="pollInterval">The pause between polls (the device polls every few ms).</param>
    public void Run(CancellationToken cancel, TimeSpan? duration, TimeSpan statusInterval, Action<MatUnitSnapshot>? status, TimeSpan pollInterval)
    {
        var watch = Stopwatch.StartNew();
        var nextStatus = statusInterval;
        while (!cancel.IsCancellationRequested && (duration == null || watch.Elapsed < duration))
        {
            Poll();
            if (watch.Elapsed >= nextStatus)
            {
                nextStatus += statusInterval;
                status?.Invoke(Snapshot());
            }

            cancel.WaitHandle.WaitOne(pollInterval);
        }

        Stop();
    }

    /// <summary>Takes the unit's state; call from the polling thread.</summary>
    /// <returns>The snapshot.</returns>
    public MatUnitSnapshot Snapshot()
    {
        var now = Unit.Clock.Now();
        var readers = Unit.Readers.Select(r => new ReaderModuleSnapshot(r.ReaderIndex, ReaderText.State(r.State), r.Counters.TagReads, r.Counters.Restarts, ReaderText.Reason(r.LastRestartReason))).ToList();
        return new MatUnitSnapshot(
            _clock.GetMicroseconds() / 1e6,
            RaceDayText.Name(Unit.RaceDay.Mode),
            (readers.FirstOrDefault(r => r.State != ReaderText.State(ReaderState.Reading)) ?? readers[0]).State,
            readers.Sum(r => r.Reads),
            readers.Sum(r => r.Restarts),
            (readers.FirstOrDefault(r => r.Restarts > 0) ?? readers[0]).LastRestartReason,
            readers,
            StateName(now.State),
            now.State == ClockState.Unsynced ? -1 : now.UncertaintyMicros,
            Unit.Clock.GpsFix,
            Unit.Clock.Satellites,
            Unit.Clock.EdgesSeen,
            _pps?.DroppedEdges ?? 0,
            Unit.Clock.Nmea.Accepted,
            Unit.Detector.PassingsDelivered,
            Unit.Gate.Held,
            Unit.Gate.Restamped,
            UplinkSnapshot.Of(Unit.Uplink, _link.LastError));
    }

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

    /// <summary>Gives the lower-case name of a clock state, as status lines and reports print it.</summary>
    /// <param name="state">The state.</param>
    /// <returns><c>unsynced</c>, <c>locked</c> or <c>holdover</c>.</returns>
    public static string StateName(ClockState state) => state.ToString().ToLowerInvariant();

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
}
