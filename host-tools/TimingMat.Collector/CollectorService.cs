using TimingMat.Host.Clock;
using TimingMat.Mqtt;

namespace TimingMat.Collector;

/// <summary>
/// A <see cref="PassingCollector"/> on a real broker, polled by its own thread: what <c>timingmat collect</c> runs
/// and what tests and measurements start in process. Queries go through <see cref="Read{T}"/>, which takes turns
/// with the poll thread on the one SQLite connection.
/// </summary>
public sealed class CollectorService : IDisposable
{
    private readonly object _turn = new();
    private readonly CancellationTokenSource _stop = new();
    private Thread? _thread;

    /// <summary>Initializes a new instance of the <see cref="CollectorService"/> class and opens the database.</summary>
    /// <param name="broker">The broker.</param>
    /// <param name="databasePath">SQLite file (created when missing).</param>
    /// <param name="options">Collector settings; defaults when <c>null</c>.</param>
    /// <param name="configureClient">Adjusts the MQTT client settings (TLS trust, timeouts).</param>
    /// <exception cref="CollectorDatabaseException">The database file cannot be used.</exception>
    public CollectorService(MqttBrokerAddress broker, string databasePath, CollectorOptions? options = null, Action<MqttLinkOptions>? configureClient = null)
    {
        Link = new MqttLink(broker, client =>
        {
            client.ConnectTimeout = TimeSpan.FromSeconds(3);
            configureClient?.Invoke(client);
        });
        Store = PassingStore.Open(databasePath);
        Collector = new PassingCollector(Link, Store, new StopwatchClock(), options ?? new CollectorOptions());
    }

    /// <summary>Gets the collector (use it from the poll thread only, or through <see cref="Read{T}"/>).</summary>
    public PassingCollector Collector { get; }

    /// <summary>Gets the database.</summary>
    public PassingStore Store { get; }

    /// <summary>Gets the MQTT link.</summary>
    public MqttLink Link { get; }

    /// <summary>Makes one connect attempt and waits for its outcome (at most the client's connect timeout).</summary>
    /// <returns><c>true</c> when connected and subscribed.</returns>
    public bool Connect()
    {
        lock (_turn)
        {
            Collector.Poll();
            while (Collector.IsConnecting)
            {
                Link.WaitForActivity(TimeSpan.FromMilliseconds(20));
                Collector.Poll();
            }

            return Collector.IsOnline;
        }
    }

    /// <summary>Starts the poll thread.</summary>
    public void Start()
    {
        _thread = new Thread(Loop) { IsBackground = true, Name = "collector" };
        _thread.Start();
    }

    /// <summary>Runs a query or reads the collector's state between two polls.</summary>
    /// <typeparam name="T">Result type.</typeparam>
    /// <param name="query">The query.</param>
    /// <returns>Its result.</returns>
    public T Read<T>(Func<PassingCollector, PassingStore, T> query)
    {
        lock (_turn)
        {
            return query(Collector, Store);
        }
    }

    /// <summary>Stops the poll thread and disconnects.</summary>
    public void Stop()
    {
        _stop.Cancel();
        _thread?.Join();
        _thread = null;
        Link.Disconnect();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Stop();
        Link.Dispose();
        Store.Dispose();
        _stop.Dispose();
    }

    private void Loop()
    {
        while (!_stop.IsCancellationRequested)
        {
            int handled;
            lock (_turn)
            {
                handled = Collector.Poll();
            }

            if (handled == 0)
            {
                Link.WaitForActivity(TimeSpan.FromMilliseconds(Collector.IsOnline ? 20 : 100));
            }
        }
    }
}
