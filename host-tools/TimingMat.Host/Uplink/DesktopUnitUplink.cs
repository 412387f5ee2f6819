using TimingMat.Core.Journal;
using TimingMat.Core.Outbox;
using TimingMat.Host.Clock;
using TimingMat.Host.Storage;
using TimingMat.Mqtt;

namespace TimingMat.Host.Uplink;

/// <summary>
/// A mat unit's never-lose-a-read path as a desktop process: the core's <see cref="UnitUplink"/> (ring, journal,
/// outbox) over a <see cref="DirectoryFileStore"/>, the desktop <see cref="MqttLink"/> and a <see cref="StopwatchClock"/>,
/// polled by its own thread. <c>timingmat unit</c> puts the reader and GPS in front of <see cref="Ring"/>.
/// </summary>
/// <remarks>
/// The detector (one producer thread) hands passings to <see cref="Ring"/>; everything else happens on the poll
/// thread started by <see cref="Start"/>. Read the state through <see cref="Snapshot"/> from other threads.
/// <see cref="Stop"/> stops cleanly (ring drained into the journal, retained <c>offline</c> status, DISCONNECT);
/// killing the process instead is what the journal's recovery is for.
/// </remarks>
public sealed class DesktopUnitUplink : IDisposable
{
    private readonly DesktopUnitOptions _options;
    private readonly DirectoryFileStore _store;
    private readonly CancellationTokenSource _stop = new();
    private Thread? _thread;
    private volatile UplinkSnapshot _snapshot;

    /// <summary>Initializes a new instance of the <see cref="DesktopUnitUplink"/> class; opens nothing yet.</summary>
    /// <param name="options">Settings.</param>
    public DesktopUnitUplink(DesktopUnitOptions options)
    {
        _options = options;
        _store = new DirectoryFileStore(options.JournalDirectory);
        Link = new MqttLink(options.Broker, client =>
        {
            client.ConnectTimeout = TimeSpan.FromSeconds(2);
            options.ConfigureClient?.Invoke(client);
        });
        Ring = new PassingRing(options.RingCapacity);
        Journal = new PassingJournal(_store, options.Journal);
        Uplink = new UnitUplink(Ring, Journal, Link, new StopwatchClock(), options.Uplink);
        _snapshot = new UplinkSnapshot(false, 0, 0, 0, 0, 0, 0, 0, 0, 0, null);
    }

    /// <summary>Gets the ring: the detector's sink (one producer thread).</summary>
    public PassingRing Ring { get; }

    /// <summary>Gets the journal (touch it only from the poll thread, or before <see cref="Start"/>/after <see cref="Stop"/>).</summary>
    public PassingJournal Journal { get; }

    /// <summary>Gets the core uplink.</summary>
    public UnitUplink Uplink { get; }

    /// <summary>Gets the MQTT link.</summary>
    public MqttLink Link { get; }

    /// <summary>Gets the state after the last poll.</summary>
    public UplinkSnapshot Snapshot => _snapshot;

    /// <summary>Opens the journal (recovering from a crash) without starting the poll thread.</summary>
    /// <returns><c>true</c> when the journal is usable.</returns>
    public bool Open() => Uplink.Start();

    /// <summary>Opens the journal and starts polling on a background thread.</summary>
    /// <exception cref="IOException">The journal folder cannot be used.</exception>
    public void Start()
    {
        if (!Open())
        {
            throw new IOException($"the journal in '{_options.JournalDirectory}' cannot be opened");
        }

        TakeSnapshot();
        _thread = new Thread(Loop) { IsBackground = true, Name = $"unit-{_options.Uplink.UnitId}-uplink" };
        _thread.Start();
    }

    /// <summary>Stops polling and shuts the uplink down cleanly.</summary>
    public void Stop()
    {
        if (_thread == null)
        {
            return;
        }

        _stop.Cancel();
        _thread.Join();
        _thread = null;
        Uplink.Stop(null);
        TakeSnapshot();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Stop();
        Link.Dispose();
        _store.Dispose();
        _stop.Dispose();
    }

    private void Loop()
    {
        while (!_stop.IsCancellationRequested)
        {
            Uplink.Poll();
            TakeSnapshot();
            if (Ring.Count == 0)
            {
                Link.WaitForActivity(_options.PollInterval);
            }
        }
    }

    private void TakeSnapshot() => _snapshot = UplinkSnapshot.Of(Uplink, Link.LastError);
}
