using System.Text;
using TimingMat.Collector.Courses;
using TimingMat.Core.Hardware;
using TimingMat.Core.Journal;
using TimingMat.Core.Lora;
using TimingMat.Core.Outbox;
using TimingMat.Core.Passings;

namespace TimingMat.Collector;

/// <summary>
/// The race collector: takes every unit's passing batches from MQTT, stores them in SQLite by (unit, seq), and
/// answers each batch with the collector ack once it is committed. Polled over the core's <see cref="IMqttLink"/>,
/// so it runs on a real broker (<c>timingmat collect</c>) or in process on simulated time (the race simulator).
/// </summary>
/// <remarks>
/// <para>
/// Per unit it keeps a ledger: the journal it follows and the highest sequence number up to which it holds every
/// passing (the ack). The first batch of a unit, or of a new journal of it, starts the run at the unit's own acked
/// mark (the batch header says it), so a collector started mid-race does not wait for passings an earlier collector
/// already has. When a batch shows that the unit believes more is stored than this collector holds (a database
/// restored from an older copy), it asks the unit to replay the gap, <see cref="CollectorOptions.ReplayRequestIntervalMicros"/>
/// apart and less often while the requests fill nothing (<see cref="UnitLedgerEntry.ReplayRequestDue"/>).
/// </para>
/// <para>
/// Messages are taken in groups (one transaction each); acks go out only after the commit, so an ack always means
/// "on disk". A malformed batch is counted and not answered: the unit sends it again.
/// </para>
/// </remarks>
public sealed class PassingCollector
{
    private readonly IMqttLink _link;
    private readonly PassingStore _store;
    private readonly IMicrosecondClock _clock;
    private readonly Func<long> _utcMicros;
    private readonly CollectorOptions _options;
    private readonly MqttConnectOptions _connect;
    private readonly Dictionary<int, UnitLedgerEntry> _ledger = [];
    private readonly BatchReader _batch = new();
    private readonly CollectorAck _ack = new();
    private readonly List<(string Topic, byte[] Payload)> _outgoing = [];
    private readonly List<CollectedPassing> _stored = [];
    private readonly HashSet<string> _touched = new(StringComparer.Ordinal);
    private readonly CrossingBook? _book;
    private bool _online;
    private bool _connectStarted;
    private long _nextConnectAt;
    private long _reconnectDelay;

    /// <summary>Initializes a new instance of the <see cref="PassingCollector"/> class.</summary>
    /// <param name="link">The MQTT link (connected by the collector).</param>
    /// <param name="store">The open database.</param>
    /// <param name="clock">Monotonic clock for timers (simulated or stopwatch).</param>
    /// <param name="options">Settings.</param>
    /// <param name="utcMicros">Source of the wall-clock time stamped on stored passings; the system clock when <c>null</c>.</param>
    public PassingCollector(IMqttLink link, PassingStore store, IMicrosecondClock clock, CollectorOptions options, Func<long>? utcMicros = null)
    {
        _link = link;
        _store = store;
        _clock = clock;
        _options = options;
        _utcMicros = utcMicros ?? (() => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / 10);
        _connect = new MqttConnectOptions(options.ClientId)
        {
            CleanSession = false,
            KeepAliveSeconds = options.KeepAliveSeconds,
            Username = options.Username,
            Password = options.Password,
        };
        _reconnectDelay = options.ReconnectMinMicros;
        foreach (var entry in store.LoadLedger())
        {
            _ledger[entry.Unit] = entry;
        }

        if (options.Course != null)
        {
            // Every stored passing in memory, merged: from here on a new passing costs one merge of its chip.
            _book = new CrossingBook(options.Course);
            foreach (var passing in store.ReadCoursePassings())
            {
                _book.Add(passing);
            }

            _book.MergeAll();
            store.UseCourse(_book);
        }
    }

    /// <summary>Raised after a commit for every passing that was new (not a duplicate), in order.</summary>
    public event EventHandler<CollectedPassingEventArgs>? PassingStored;

    /// <summary>Gets a value indicating whether the collector is connected and subscribed.</summary>
    public bool IsOnline => _online;

    /// <summary>Gets a value indicating whether a connect attempt is under way (started and not yet answered or given up).</summary>
    public bool IsConnecting => _connectStarted;

    /// <summary>Lets the next poll start a connect attempt at once, whatever the backoff (a host waiting for its first connection).</summary>
    public void ConnectNow() => _nextConnectAt = long.MinValue;

    /// <summary>Gets the ledger by unit id.</summary>
    public IReadOnlyDictionary<int, UnitLedgerEntry> Ledger => _ledger;

    /// <summary>Gets the number of batches stored.</summary>
    public long BatchesStored { get; private set; }

    /// <summary>Gets the number of new passings stored.</summary>
    public long PassingsStored { get; private set; }

    /// <summary>Gets the number of passings received again.</summary>
    public long Duplicates { get; private set; }

    /// <summary>Gets the number of passings first stored from LoRa and later replaced by their full MQTT record.</summary>
    public long Upgrades { get; private set; }

    /// <summary>Gets the number of batches rejected as malformed.</summary>
    public long BatchesRejected { get; private set; }

    /// <summary>Gets the reason the last batch was rejected, or <c>null</c>.</summary>
    public string? LastRejection { get; private set; }

    /// <summary>Gets the number of replay requests sent to units.</summary>
    public long ReplayRequests { get; private set; }

    /// <summary>Gets the number of successful connects.</summary>
    public int Connections { get; private set; }

    /// <summary>Gets how often a chip's crossings were merged again because passings of it arrived (with a course).</summary>
    public long ChipsMerged { get; private set; }

    /// <summary>Does one round: keeps the connection, stores waiting messages in one transaction, sends the acks.</summary>
    /// <returns>The number of messages handled.</returns>
    public int Poll()
    {
        var now = _clock.GetMicroseconds();
        KeepConnected(now);
        if (!_online)
        {
            return 0;
        }

        var messages = new List<MqttMessage>();
        while (messages.Count < _options.MaxMessagesPerTransaction && _link.TakeReceived() is { } message)
        {
            messages.Add(message);
        }

        while (_link.TryTakeAcknowledged(out _))
        {
            // Broker PUBACKs of our acks: nothing to do, the unit re-sends a batch whose ack was lost.
        }

        if (messages.Count == 0)
        {
            return 0;
        }

        var received = _utcMicros();
        _store.Begin();
        foreach (var message in messages)
        {
            Handle(message, received, now);
        }

        MergeTouched();
        _store.Commit();
        foreach (var (topic, payload) in _outgoing)
        {
            _link.Publish(topic, payload, 1, false);
        }

        _outgoing.Clear();
        AnnounceStored();
        return messages.Count;
    }

    /// <summary>
    /// Stores a run of passings that came another way than MQTT (the LoRa receiver), in one transaction, and tells
    /// the unit's contiguous mark for the answer. Subscribers of <see cref="PassingStored"/> hear of new ones.
    /// </summary>
    /// <param name="unit">Unit id.</param>
    /// <param name="journalId">The unit's journal id.</param>
    /// <param name="unitAcked">The unit's acked mark when it sent them.</param>
    /// <param name="passings">Consecutive passings, unit and sequence set.</param>
    /// <param name="source">Where they came from, e.g. <see cref="PassingStore.SourceLora"/>.</param>
    /// <returns>The highest sequence number up to which every passing of the unit is stored.</returns>
    public long StoreRun(int unit, int journalId, long unitAcked, IReadOnlyList<Passing> passings, string source)
    {
        var received = _utcMicros();
        var body = new byte[PassingBody.MaxBytes];
        _store.Begin();
        var entry = EntryFor(unit, journalId, unitAcked);
        foreach (var passing in passings)
        {
            var length = PassingBody.Write(passing, body, 0);
            StoreOne(entry, passing, journalId, body, 0, length, received, source);
        }

        entry.Batches++;
        BatchesStored++;
        _store.SaveUnit(entry);
        MergeTouched();
        _store.Commit();
        AnnounceStored();
        return entry.Contiguous;
    }

    /// <summary>Asks a unit to send its passings again from a sequence number.</summary>
    /// <param name="unit">Unit id.</param>
    /// <param name="from">First sequence number.</param>
    /// <param name="to">Last sequence number, or <c>null</c> for all.</param>
    /// <returns><c>true</c> when the command was published.</returns>
    public bool RequestReplay(int unit, long from, long? to = null)
    {
        ReplayRequests++;
        return _link.Publish(new UplinkTopics(_options.TopicPrefix, unit).Acks, ReplayRequest.Write(from, to ?? ReplayRequest.OpenEnd), 1, false) >= 0;
    }

    private void KeepConnected(long now)
    {
        if (_online && !_link.IsConnected)
        {
            _online = false;
            _nextConnectAt = now + _reconnectDelay;
        }

        if (_online)
        {
            return;
        }

        if (!_connectStarted)
        {
            if (now < _nextConnectAt)
            {
                return;
            }

            _connectStarted = true;
            _link.BeginConnect(_connect);
        }

        // Read "connecting" before "connected": a link sets connected before it clears connecting.
        if (_link.IsConnecting)
        {
            return;
        }

        _connectStarted = false;
        if (!_link.IsConnected
            || !_link.Subscribe(UplinkTopics.AllUnits(_options.TopicPrefix, UplinkTopics.PassingsLevel), 1)
            || !_link.Subscribe(UplinkTopics.AllUnits(_options.TopicPrefix, LoRaMqttDelivery.LoraLevel), 1)
            || !_link.Subscribe(UplinkTopics.AllUnits(_options.TopicPrefix, UplinkTopics.StatusLevel), 1))
        {
            _nextConnectAt = _clock.GetMicroseconds() + _reconnectDelay;
            _reconnectDelay = Math.Min(_reconnectDelay * 2, _options.ReconnectMaxMicros);
            return;
        }

        _online = true;
        Connections++;
        _reconnectDelay = _options.ReconnectMinMicros;
    }

    private void Handle(MqttMessage message, long received, long now)
    {
        var unit = UplinkTopics.ParseUnit(message.Topic, _options.TopicPrefix, UplinkTopics.PassingsLevel);
        if (unit >= 0)
        {
            HandleBatch(unit, message.Payload, received, now, unit, PassingStore.SourceMqtt);
            return;
        }

        // A LoRa gateway's batches: passings of the units it heard, answered on the gateway's own ack topic.
        var gateway = UplinkTopics.ParseUnit(message.Topic, _options.TopicPrefix, LoRaMqttDelivery.LoraLevel);
        if (gateway >= 0)
        {
            HandleBatch(-1, message.Payload, received, now, gateway, PassingStore.SourceLora);
            return;
        }

        unit = UplinkTopics.ParseUnit(message.Topic, _options.TopicPrefix, UplinkTopics.StatusLevel);
        if (unit >= 0 && message.Payload.Length > 0)
        {
            _store.SaveStatus(unit, Encoding.UTF8.GetString(message.Payload), received);
        }
    }

    // Subscribers hear of new passings only after the transaction holding them committed.
    private void AnnounceStored()
    {
        foreach (var passing in _stored)
        {
            PassingStored?.Invoke(this, new CollectedPassingEventArgs(passing));
        }

        _stored.Clear();
    }

    private UnitLedgerEntry EntryFor(int unit, int journalId, long unitAcked)
    {
        if (!_ledger.TryGetValue(unit, out var entry) || entry.JournalId != journalId)
        {
            // First batch of this unit or of a new journal: the run starts at the unit's acked mark.
            entry = new UnitLedgerEntry(unit, journalId, unitAcked)
            {
                Batches = entry?.Batches ?? 0,
                Duplicates = entry?.Duplicates ?? 0,
                Conflicts = entry?.Conflicts ?? 0,
            };
            _ledger[unit] = entry;
        }

        return entry;
    }

    // The chips whose passings changed in this transaction get their crossings merged again before it commits.
    private void MergeTouched()
    {
        if (_book == null)
        {
            return;
        }

        foreach (var chip in _touched)
        {
            var (gone, come) = _book.Remerge(chip);
            _store.UpdateCrossings(gone, come);
            ChipsMerged++;
        }

        _touched.Clear();
    }

    private void Touch(Passing passing)
    {
        if (_book != null && passing.Kind == PassingKind.Crossing && (passing.Flags & PassingFlags.TestTag) == 0)
        {
            var chip = Convert.ToHexString(passing.Epc, 0, passing.EpcLength);
            if (_book.Add(new CoursePassing(passing.UnitId, passing.Sequence, chip, passing.TimeUtcMicros, passing.Hits)))
            {
                _touched.Add(chip);
            }
        }
    }

    private void StoreOne(UnitLedgerEntry entry, Passing passing, int journalId, byte[] body, int offset, int length, long received, string source)
    {
        switch (_store.Store(passing, journalId, body, offset, length, received, source))
        {
            case StoreResult.Inserted:
                PassingsStored++;
                var copy = new Passing();
                copy.CopyFrom(passing);
                _stored.Add(new CollectedPassing(copy, journalId, received, source));
                Touch(passing);
                break;
            case StoreResult.Duplicate:
                Duplicates++;
                entry.Duplicates++;
                break;
            case StoreResult.Upgraded:
                Upgrades++;
                Touch(passing);
                break;
            default:
                entry.Conflicts++;
                break;
        }

        entry.Stored(passing.Sequence);
    }

    // `topicUnit` is the unit whose passings topic it came on (-1 for a gateway's, which carry other units'),
    // `answerTo` the unit whose ack topic gets the answer.
    private void HandleBatch(int topicUnit, byte[] payload, long received, long now, int answerTo, string source)
    {
        if (!_batch.Load(payload, payload.Length) || (topicUnit >= 0 && _batch.UnitId != topicUnit))
        {
            BatchesRejected++;
            LastRejection = _batch.Error ?? $"batch of unit {_batch.UnitId} on the topic of unit {topicUnit}";
            return;
        }

        var unit = _batch.UnitId;

        var entry = EntryFor(unit, _batch.JournalId, _batch.AckedSequence);
        var first = _batch.FirstSequence;
        var count = _batch.Count;
        var passing = new Passing();
        while (_batch.PeekBody(out var offset, out var length) && _batch.TryRead(passing))
        {
            StoreOne(entry, passing, _batch.JournalId, payload, offset, length, received, source);
        }

        entry.Batches++;
        BatchesStored++;
        _store.SaveUnit(entry);

        _ack.UnitId = unit;
        _ack.JournalId = _batch.JournalId;
        _ack.AckedSequence = entry.Contiguous;
        _ack.BatchFirstSequence = first;
        _ack.BatchCount = count;
        var ack = new byte[CollectorAck.Bytes];
        _ack.Write(ack, 0);
        var topics = new UplinkTopics(_options.TopicPrefix, unit);
        _outgoing.Add((new UplinkTopics(_options.TopicPrefix, answerTo).Acks, ack));

        if (entry.Contiguous < _batch.AckedSequence && entry.ReplayRequestDue(now, _options.ReplayRequestIntervalMicros))
        {
            // The unit believes more is stored than this database holds: ask for the gap.
            ReplayRequests++;
            _outgoing.Add((topics.Acks, ReplayRequest.Write(entry.Contiguous + 1, _batch.AckedSequence)));
        }
    }
}
