using System.Globalization;
using TimingMat.Core.Outbox;
using TimingMat.Core.Passings;
using TimingMat.Tent.Status;

namespace TimingMat.Tent.Monitoring;

/// <summary>
/// The tent's picture of the fleet (<c>timingmat monitor</c>): every unit's latest status and the alarms it raises,
/// fed by the units' statuses and passing batches (<see cref="MonitorFeed"/> on a broker, or a test). Alarms are raised
/// when their condition starts, cleared when it ends, and show until acknowledged (<see cref="FleetAlarm"/>); the
/// conditions and their thresholds are in <see cref="MonitorThresholds"/> and docs/monitor.md.
/// </summary>
/// <remarks>
/// Time is given by the caller (the status's arrival, or <see cref="Tick"/>), so the model is tested without waiting.
/// Thread-safe: the feed calls it on MQTTnet's receive task, the console and web pages read and acknowledge on theirs.
/// </remarks>
public sealed class FleetMonitor
{
    private readonly object _sync = new();
    private readonly SortedDictionary<int, MonitoredUnit> _units = [];
    private readonly MonitorThresholds _thresholds;
    private readonly ChipBibs _bibs;
    private readonly TimeZoneInfo _zone;
    private readonly int _kept;
    private readonly DateTime _startedUtc;
    private readonly BatchReader _batch = new();
    private readonly Passing _passing = new();
    private long _version;

    /// <summary>Initializes a new instance of the <see cref="FleetMonitor"/> class.</summary>
    /// <param name="thresholds">When alarms are raised.</param>
    /// <param name="startedUtc">When the monitor started: an expected unit never heard from is silent <see cref="MonitorThresholds.SilentAfter"/> after it.</param>
    /// <param name="expectedUnits">The race's units (the race file's), shown and watched before they are heard from; or none.</param>
    /// <param name="bibs">Which bib wears which chip, for the checkpoint screens; or null.</param>
    /// <param name="zone">The tent's time zone for the screens' time of day; or null: this computer's.</param>
    /// <param name="passingsKept">How many of the latest crossings a checkpoint screen keeps per mat.</param>
    public FleetMonitor(MonitorThresholds thresholds, DateTime startedUtc, IEnumerable<int>? expectedUnits = null, ChipBibs? bibs = null, TimeZoneInfo? zone = null, int passingsKept = 12)
    {
        thresholds.Validate();
        _thresholds = thresholds;
        _startedUtc = startedUtc;
        _bibs = bibs ?? ChipBibs.None;
        _zone = zone ?? TimeZoneInfo.Local;
        _kept = Math.Clamp(passingsKept, 1, 1000);
        foreach (var unit in expectedUnits ?? [])
        {
            _units.TryAdd(unit, new MonitoredUnit(unit));
        }
    }

    /// <summary>Raised after every change the crew would see (a status, an alarm, a passing, an acknowledgement), outside the lock.</summary>
    public event Action? Changed;

    /// <summary>Takes a unit's status (its arrival time is the time of the alarms it raises or clears).</summary>
    /// <param name="seen">The status and when it came.</param>
    public void Observe(SeenStatus seen) => Change(() =>
    {
        var unit = UnitFor(seen.Status.Unit);
        unit.Last = seen;
        if (!seen.Status.IsOffline)
        {
            var readerOut = seen.Status.Readers.Count == 0 || seen.Status.Readers.Any(r => !r.IsReading);
            unit.ReaderOutSince = readerOut ? unit.ReaderOutSince ?? seen.ReceivedUtc : null;
        }

        Evaluate(unit, seen.ReceivedUtc);
        return true;
    });

    /// <summary>Takes a passing batch from a unit's passings topic (wire-formats §3) for its checkpoint screen.</summary>
    /// <param name="topicUnit">The unit whose topic it came on.</param>
    /// <param name="payload">The batch.</param>
    /// <returns>How many crossings were new (a batch sent again adds none); -1 when the batch is not a valid one of that unit.</returns>
    public int ObservePassings(int topicUnit, byte[] payload)
    {
        var added = 0;
        Change(() =>
        {
            if (!_batch.Load(payload, payload.Length) || _batch.UnitId != topicUnit)
            {
                added = -1;
                return false;
            }

            var unit = UnitFor(topicUnit);
            while (_batch.TryRead(_passing))
            {
                if (_passing.Kind != PassingKind.Crossing || !unit.Counted.Add((_batch.JournalId, _passing.Sequence)))
                {
                    continue;
                }

                added++;
                var chip = Convert.ToHexString(_passing.Epc, 0, _passing.EpcLength);
                var time = DateTime.UnixEpoch.AddTicks(_passing.TimeUtcMicros * 10);
                var local = TimeZoneInfo.ConvertTimeFromUtc(time, _zone);
                var shown = new CheckpointPassing(_passing.Sequence, chip, _bibs.BibOf(chip), time, local.ToString("HH:mm:ss.f", CultureInfo.InvariantCulture));

                // Batches come in sequence order but a resent one may come late: keep the screen in time order.
                var after = unit.Latest.Last;
                while (after != null && after.Value.TimeUtc > time)
                {
                    after = after.Previous;
                }

                if (after == null)
                {
                    unit.Latest.AddFirst(shown);
                }
                else
                {
                    unit.Latest.AddAfter(after, shown);
                }

                while (unit.Latest.Count > _kept)
                {
                    unit.Latest.RemoveFirst();
                }
            }

            return added > 0;
        });
        return added;
    }

    /// <summary>Re-evaluates the alarms that come with time passing (a unit silent, a reader out for long enough).</summary>
    /// <param name="now">The time now.</param>
    /// <returns>Whether anything the crew sees changed.</returns>
    public bool Tick(DateTime now) => Change(() => _units.Values.Aggregate(false, (changed, unit) => Evaluate(unit, now) | changed));

    /// <summary>Acknowledges one alarm: it stops being highlighted, and leaves the screen once its condition has ended.</summary>
    /// <param name="unit">Unit id.</param>
    /// <param name="kind">The alarm.</param>
    /// <returns><c>true</c> when that alarm was waiting for an acknowledgement.</returns>
    public bool Acknowledge(int unit, AlarmKind kind) => Change(() => _units.TryGetValue(unit, out var u) && u.Alarm(kind).Acknowledge());

    /// <summary>Acknowledges every alarm shown.</summary>
    /// <returns>How many were waiting for it.</returns>
    public int AcknowledgeAll()
    {
        var count = 0;
        Change(() => (count = _units.Values.SelectMany(u => u.Alarms).Count(a => a.Acknowledge())) > 0);
        return count;
    }

    /// <summary>Takes the fleet's picture now.</summary>
    /// <param name="now">The time now (for "seen N s ago").</param>
    /// <returns>The snapshot.</returns>
    public FleetSnapshot Snapshot(DateTime now)
    {
        lock (_sync)
        {
            var views = _units.Values.Select(u => View(u, now)).ToList();
            var alarms = views.SelectMany(v => v.Alarms).OrderBy(a => a.RaisedUtc).ThenBy(a => a.Unit).ToList();
            return new FleetSnapshot(now, views, alarms, _version);
        }
    }

    /// <summary>Takes a checkpoint screen.</summary>
    /// <param name="unit">The mat's unit id.</param>
    /// <returns>The screen (empty for a unit not heard from).</returns>
    public CheckpointScreen Checkpoint(int unit)
    {
        lock (_sync)
        {
            return _units.TryGetValue(unit, out var u)
                ? new CheckpointScreen(unit, u.Last?.Status.Mat, u.Counted.Count, [.. u.Latest.Reverse()], _version)
                : new CheckpointScreen(unit, null, 0, [], _version);
        }
    }

    // Runs a change under the lock; a change the crew would see bumps the version and is announced outside the lock.
    private bool Change(Func<bool> change)
    {
        bool changed;
        lock (_sync)
        {
            changed = change();
            if (changed)
            {
                _version++;
            }
        }

        if (changed)
        {
            Changed?.Invoke();
        }

        return changed;
    }

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0", CultureInfo.InvariantCulture) + " s";

    private static bool Says(UnitStatusReport status, params string[] alarms) => status.Alarms.Any(a => alarms.Contains(a, StringComparer.Ordinal));

    private MonitoredUnit UnitFor(int id)
    {
        if (!_units.TryGetValue(id, out var unit))
        {
            unit = new MonitoredUnit(id);
            _units.Add(id, unit);
        }

        return unit;
    }

    private bool Evaluate(MonitoredUnit unit, DateTime now)
    {
        var changed = false;
        var seen = unit.Last;
        var silentFor = now - (seen?.ReceivedUtc ?? _startedUtc);
        var offline = seen?.Status.IsOffline == true;
        changed |= unit.Alarm(AlarmKind.UnitSilent).Apply(
            offline || silentFor >= _thresholds.SilentAfter,
            offline ? "offline (the broker's last will: its connection dropped)" : seen == null ? "never heard from" : $"no status for {Seconds(silentFor)}",
            now);

        // The other conditions are read from a unit's own status; the will carries none, so they stay as last seen.
        if (seen == null || offline)
        {
            return changed;
        }

        var status = seen.Status;
        if (status.Clock is { } clock)
        {
            var unlocked = !clock.IsLocked || Says(status, "clock_unsynced", "clock_holdover");
            changed |= unit.Alarm(AlarmKind.ClockUnlocked).Apply(unlocked, $"clock {clock.State}{(clock.Fix ? string.Empty : ", no GPS fix")}", now);
        }

        var readerOut = unit.ReaderOutSince is { } since && now - since >= _thresholds.ReaderDownAfter;
        var down = status.Readers.Where(r => !r.IsReading).Select(r => $"reader {r.Index} {r.State}").ToList();
        changed |= unit.Alarm(AlarmKind.ReaderDown).Apply(
            readerOut || Says(status, "reader_down"),
            status.Readers.Count == 0 ? "no reader module" : down.Count == 0 ? "the unit says reader_down" : string.Join(", ", down) + (unit.ReaderOutSince is { } s ? $" for {Seconds(now - s)}" : string.Empty),
            now);

        // What fills is what the collector has not acknowledged: the journal keeps acknowledged passings as a backup
        // until it needs their space, so its fill climbs all day on a healthy unit and is no alarm by itself.
        var fill = status.JournalFillPercent;
        var unacknowledged = status.CapacityPassings > 0 ? status.Unacknowledged * 100.0 / status.CapacityPassings : null;
        var remaining = status.RemainingHours;
        var filling = unacknowledged >= _thresholds.JournalUnacknowledgedPercent || remaining < _thresholds.JournalRemainingHours || Says(status, "journal_filling", "journal_full");
        changed |= unit.Alarm(AlarmKind.JournalFilling).Apply(
            filling,
            string.Create(CultureInfo.InvariantCulture, $"{status.Unacknowledged} unacknowledged ({unacknowledged?.ToString("0.#", CultureInfo.InvariantCulture) ?? "?"} % of the journal), {(remaining == null ? "-" : remaining.Value.ToString("0.0", CultureInfo.InvariantCulture))} h of outage left, journal {fill:0.#} % full"),
            now);

        changed |= unit.Alarm(AlarmKind.BatteryLow).Apply(
            status.BatteryPercent < _thresholds.BatteryLowPercent || Says(status, "battery_low"),
            string.Create(CultureInfo.InvariantCulture, $"battery {status.BatteryPercent?.ToString(CultureInfo.InvariantCulture) ?? "?"} %"),
            now);
        return changed;
    }

    private UnitView View(MonitoredUnit unit, DateTime now)
    {
        var s = unit.Last?.Status;
        var live = s is { IsOffline: false } ? s : null;
        var clock = live?.Clock;
        return new UnitView(
            unit.Unit,
            s?.Mat,
            s?.Role,
            live?.Mode,
            unit.Last?.ReceivedUtc,
            unit.Last == null ? null : Math.Round((now - unit.Last.ReceivedUtc).TotalSeconds, 1),
            s?.IsOffline == true,
            live?.BatteryPercent,
            clock?.Fix,
            clock == null || clock.Satellites < 0 ? null : clock.Satellites,
            clock?.State,
            clock?.OffsetMicros / 1000.0,
            clock?.UncertaintyMicros / 1000.0,
            live?.Readers.Count(r => r.IsReading) ?? 0,
            live?.Readers.Count ?? 0,
            live?.Readers.Select(r => r.State).ToList() ?? [],
            Math.Round(live?.ReadsPerSecond ?? 0, 1),
            live?.Backlog ?? 0,
            live?.Unacknowledged ?? 0,
            live?.JournalFillPercent,
            live?.RemainingHours,
            unit.Counted.Count,
            [.. unit.Alarms.Where(a => a.Shown).Select(a => a.View(unit.Unit))]);
    }
}
