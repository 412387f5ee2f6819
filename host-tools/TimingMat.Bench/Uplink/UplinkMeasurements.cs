using System.Diagnostics;
using System.Globalization;
using TimingMat.Collector;
using TimingMat.Core.Journal;
using TimingMat.Emulators.Passings;
using TimingMat.Emulators.Statistics;
using TimingMat.Host.Storage;
using TimingMat.Mqtt.Broker;

namespace TimingMat.Bench.Uplink;

/// <summary>
/// Wall-clock measurement runs of the mat unit application (<see cref="StartLineUnit"/>: what <c>timingmat unit</c>
/// runs, on an emulated start line) over a real Mosquitto on loopback (not BenchmarkDotNet: they time a whole system):
/// <c>drain</c> — a unit with a 60-minute backlog in its journal reconnects and drains it to the collector while its
/// start line keeps timing runners; <c>latency</c> — N units time runners and the delay from each runner's crossing to
/// the collector's database is measured.
/// </summary>
/// <remarks>
/// The delay runs from the crossing's time (the passing's, on the unit's GPS-locked clock) to the collector's commit, so
/// it holds the crossing detector's reaction time (2 s at a start mat: a passing cannot leave before its runner's
/// chip has been out of the field that long) and everything behind it: ring, journal, outbox, broker, collector.
/// </remarks>
internal static class UplinkMeasurements
{
    // A unit's clock locks about 22 s after boot; the start line's first runner crosses 25 s in.
    private static readonly TimeSpan s_lockLead = TimeSpan.FromSeconds(25);

    /// <summary>
    /// A unit with <paramref name="minutes"/> of race in its journal reconnects and drains it to the collector while
    /// its start line keeps timing; on its own Mosquitto and a scratch folder, both removed afterwards.
    /// </summary>
    /// <param name="output">Where the figures go.</param>
    /// <param name="minutes">Minutes of race in the unit's journal.</param>
    /// <param name="perSecond">Runners a second at the start line (a start mat takes 20-30).</param>
    /// <returns><c>true</c> when the backlog reached the collector within 30 minutes.</returns>
    /// <exception cref="FileNotFoundException">Mosquitto is not installed.</exception>
    public static bool Drain(TextWriter output, double minutes, double perSecond) =>
        OnOwnBroker((broker, root) => Drain(output, broker, root, minutes, perSecond));

    /// <summary>
    /// <paramref name="units"/> start-line units time runners; prints the crossing → collector delay. On its own
    /// Mosquitto and a scratch folder, both removed afterwards.
    /// </summary>
    /// <param name="output">Where the figures go.</param>
    /// <param name="units">Start-line units.</param>
    /// <param name="perSecond">Runners a second at each start line (a start mat takes 20-30).</param>
    /// <param name="seconds">Seconds of runners.</param>
    /// <returns><c>true</c> when every passing the readers read reached the collector.</returns>
    /// <exception cref="FileNotFoundException">Mosquitto is not installed.</exception>
    public static bool Latency(TextWriter output, int units, double perSecond, double seconds) =>
        OnOwnBroker((broker, root) => Latency(output, broker, root, units, perSecond, seconds));

    private static bool OnOwnBroker(Func<MosquittoProcess, string, bool> run)
    {
        using var broker = new MosquittoProcess();
        broker.Start();
        var root = Directory.CreateTempSubdirectory("tm-measure-").FullName;
        try
        {
            return run(broker, root);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static bool Drain(TextWriter output, MosquittoProcess broker, string root, double minutes, double perSecond)
    {
        var backlog = (int)(minutes * 60 * perSecond);
        var folder = Path.Combine(root, "unit-1");
        var options = new JournalOptions(1) { NewJournalId = Random.Shared.Next(1, int.MaxValue), CapacityBytes = 256L * 1024 * 1024, SegmentBytes = 1024 * 1024 };

        // The start line runs on for as long as a drain may take; its runners are the live passings.
        using var unit = new StartLineUnit(1, folder, broker.Address, runners: (int)(perSecond * 1800), perSecond);
        var firstRunner = unit.Mat.Crossings[0].UtcMicros;
        var fill = Stopwatch.StartNew();
        using (var files = new DirectoryFileStore(folder))
        {
            // The unit was cut off for the whole time: its journal holds every passing it made, none acknowledged. The
            // backlog's passings are synthetic (numbered chips); the unit only has to send them.
            var journal = new PassingJournal(files, options);
            journal.Open();
            var passing = new TimingMat.Core.Passings.Passing();
            var start = firstRunner - (long)(minutes * 60_000_000);
            for (var i = 1; i <= backlog; i++)
            {
                SyntheticPassings.Fill(passing, 1, i, start + (long)(i * 1_000_000 / perSecond));
                journal.Append(passing);
                if (i % 50 == 0)
                {
                    journal.Commit();
                }
            }

            journal.Commit();
            output.WriteLine($"journal filled: {backlog:N0} passings, {journal.UsedBytes / 1024.0 / 1024.0:F1} MB in {journal.SegmentCount} segments, {fill.Elapsed.TotalSeconds:F1} s ({backlog / fill.Elapsed.TotalSeconds:N0} appends/s incl. a flush per 50)");
        }

        using var collector = new CollectorService(broker.Address, Path.Combine(root, "collector.db"));
        collector.Connect();
        collector.Start();

        // A journal as large as the backlog needs (a board with an SD card).
        unit.Unit.Settings.Journal.CapacityBytes = options.CapacityBytes;
        unit.Unit.Settings.Journal.SegmentBytes = options.SegmentBytes;
        var clock = Stopwatch.StartNew();
        unit.Start();
        while (collector.Read((c, _) => c.Ledger.TryGetValue(1, out var u) ? u.Contiguous : 0) < backlog)
        {
            Thread.Sleep(20);
            if (clock.Elapsed > TimeSpan.FromMinutes(30))
            {
                output.WriteLine("backlog not drained within 30 minutes");
                return false;
            }
        }

        var drained = clock.Elapsed;
        var live = collector.Read((c, _) => c.Ledger[1].Contiguous) - backlog;
        var liveDelays = collector.Read((_, store) => store.ReadArrivalDelays(firstRunner)).Select(d => d - unit.WallMinusRaceMicros).ToList();
        output.WriteLine($"drain: {backlog:N0} passings ({minutes} min at {perSecond} runners/s) reached the collector in {drained.TotalSeconds:F1} s = {backlog / drained.TotalSeconds:N0} passings/s, {backlog / drained.TotalSeconds / 60 / perSecond:F0} minutes of race per second");
        output.WriteLine(drained < s_lockLead
            ? $"live passings during the drain: none (the drain ended before the unit's clock locked and the first runner crossed, {s_lockLead.TotalSeconds:F0} s after boot)"
            : $"live passings during the drain: {live:N0}, crossing→collector delay {Percentiles(liveDelays)}");
        return true;
    }

    private static bool Latency(TextWriter output, MosquittoProcess broker, string root, int unitCount, double perSecond, double seconds)
    {
        using var collector = new CollectorService(broker.Address, Path.Combine(root, "collector.db"));
        collector.Connect();
        collector.Start();
        var runners = (int)(perSecond * seconds);
        var units = Enumerable.Range(1, unitCount).Select(id => new StartLineUnit(id, Path.Combine(root, $"unit-{id}"), broker.Address, runners, perSecond)).ToList();
        try
        {
            foreach (var unit in units)
            {
                unit.Start();
            }

            // Every runner the readers read is a passing to deliver; wait for them, and 30 s more at most.
            var lastCrossing = units.Max(u => u.Mat.Crossings[^1].UtcMicros);
            while (units[0].Mat.TrueNow < lastCrossing + 3_000_000)
            {
                Thread.Sleep(100);
            }

            var read = units.Sum(u => u.Mat.Crossings.Count(c => u.Mat.ReadsOf(c.Runner.Athlete.Bib) > 0));
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (collector.Read((c, _) => c.PassingsStored) < read && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(50);
            }

            var stored = collector.Read((c, _) => c.PassingsStored);
            var offset = units[0].WallMinusRaceMicros;
            var delays = collector.Read((_, store) => store.ReadArrivalDelays()).Select(d => d - offset).ToList();
            output.WriteLine($"latency: {unitCount} start-line units × {perSecond} runners/s for {seconds} s ({runners:N0} runners each): {read:N0} read by the readers, {stored:N0} passings stored, missing {read - stored}");
            output.WriteLine($"crossing→collector delay, the start mat's 2 s reaction time included ({delays.Count:N0} passings): {Percentiles(delays)}");
            return read == stored;
        }
        finally
        {
            foreach (var unit in units)
            {
                unit.Dispose();
            }
        }
    }

    private static string Percentiles(List<long> delays)
    {
        if (delays.Count == 0)
        {
            return "no samples";
        }

        delays.Sort();
        string At(double q) => (Percentile.Of(delays, q) / 1000.0).ToString("F1", CultureInfo.InvariantCulture);
        return $"p50 {At(0.50)} ms, p95 {At(0.95)} ms, p99 {At(0.99)} ms, max {delays[^1] / 1000.0:F1} ms";
    }
}
