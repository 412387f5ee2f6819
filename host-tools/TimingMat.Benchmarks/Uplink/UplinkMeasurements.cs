using System.Diagnostics;
using System.Globalization;
using TimingMat.Collector;
using TimingMat.Core.Journal;
using TimingMat.Emulators.Passings;
using TimingMat.Emulators.Statistics;
using TimingMat.Host.Storage;
using TimingMat.Host.Uplink;
using TimingMat.Mqtt.Broker;

namespace TimingMat.Benchmarks.Uplink;

/// <summary>
/// Wall-clock measurement runs over a real Mosquitto on loopback (not BenchmarkDotNet: they time a whole system):
/// <c>drain</c> — a unit with a 60-minute backlog reconnects and drains it to the collector while live passings keep
/// coming; <c>latency</c> — N units feed synthetic passings and the delay from ring to collector database is measured.
/// </summary>
/// <remarks>
/// The crossing detector is built in parallel, so reads are modelled as passings: at 20 reads per crossing (RACE
/// RESULT's "OK" band starts at 20 hits), 2,000 reads/s is 100 passings/s per unit. A passing's time is when it
/// entered the ring, so the figure excludes the detector's reaction window (850 ms by default).
/// </remarks>
public static class UplinkMeasurements
{
    /// <summary>Runs a measurement from the command line.</summary>
    /// <param name="args"><c>drain [--minutes 60] [--reads-per-second 2000]</c> or <c>latency [--units 10] [--reads-per-second 2000] [--seconds 60]</c>, plus <c>--reads-per-passing 20</c>.</param>
    /// <returns>Exit code.</returns>
    public static int Run(string[] args)
    {
        var mode = args.Length > 0 ? args[0] : "latency";
        var readsPerSecond = Option(args, "--reads-per-second", 2000);
        var readsPerPassing = Option(args, "--reads-per-passing", 20);
        var passingsPerSecond = readsPerSecond / readsPerPassing;
        using var broker = new MosquittoProcess();
        broker.Start();
        var root = Directory.CreateTempSubdirectory("tm-measure-").FullName;
        try
        {
            return mode switch
            {
                "drain" => Drain(broker, root, Option(args, "--minutes", 60), passingsPerSecond),
                "latency" => Latency(broker, root, (int)Option(args, "--units", 10), passingsPerSecond, Option(args, "--seconds", 60)),
                _ => Usage(),
            };
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static int Drain(MosquittoProcess broker, string root, double minutes, double perSecond)
    {
        var backlog = (int)(minutes * 60 * perSecond);
        var options = new DesktopUnitOptions(1, Path.Combine(root, "unit-1"), broker.Address);
        options.Journal.CapacityBytes = 256L * 1024 * 1024;
        options.Journal.SegmentBytes = 1024 * 1024;
        var fill = Stopwatch.StartNew();
        using (var files = new DirectoryFileStore(options.JournalDirectory))
        {
            // The unit was cut off for the whole time: its journal holds every passing, none acknowledged.
            var journal = new PassingJournal(files, options.Journal);
            journal.Open();
            var passing = new TimingMat.Core.Passings.Passing();
            var start = SyntheticPassings.UtcNowMicros() - (long)(minutes * 60_000_000);
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
            Console.WriteLine($"journal filled: {backlog:N0} passings, {journal.UsedBytes / 1024.0 / 1024.0:F1} MB in {journal.SegmentCount} segments, {fill.Elapsed.TotalSeconds:F1} s ({backlog / fill.Elapsed.TotalSeconds:N0} appends/s incl. a flush per 50)");
        }

        using var collector = new CollectorService(broker.Address, Path.Combine(root, "collector.db"));
        collector.Connect();
        collector.Start();
        using var unit = new DesktopUnitUplink(options);
        var clock = Stopwatch.StartNew();
        unit.Start();
        using var live = new SyntheticDetector(unit.Ring, 1, perSecond, int.MaxValue, resumeAfter: backlog);
        live.Start();
        var liveFromUtc = SyntheticPassings.UtcNowMicros();
        while (collector.Read((c, _) => c.Ledger.TryGetValue(1, out var u) ? u.Contiguous : 0) < backlog)
        {
            Thread.Sleep(20);
            if (clock.Elapsed > TimeSpan.FromMinutes(30))
            {
                Console.WriteLine("backlog not drained within 30 minutes");
                return 1;
            }
        }

        var drained = clock.Elapsed;
        live.Stop();
        var liveDelays = collector.Read((_, store) => store.ReadArrivalDelays(liveFromUtc));
        unit.Stop();
        Console.WriteLine($"drain: {backlog:N0} passings ({minutes} min at {perSecond} passings/s) reached the collector in {drained.TotalSeconds:F1} s = {backlog / drained.TotalSeconds:N0} passings/s, {backlog / drained.TotalSeconds / 60 / perSecond:F0} minutes of race per second");
        Console.WriteLine($"live passings during the drain: {live.Generated - backlog:N0}, ring→collector delay {Percentiles(liveDelays)}");
        return 0;
    }

    private static int Latency(MosquittoProcess broker, string root, int unitCount, double perSecond, double seconds)
    {
        using var collector = new CollectorService(broker.Address, Path.Combine(root, "collector.db"));
        collector.Connect();
        collector.Start();
        var units = new List<(DesktopUnitUplink Uplink, SyntheticDetector Detector)>();
        for (var id = 1; id <= unitCount; id++)
        {
            var uplink = new DesktopUnitUplink(new DesktopUnitOptions(id, Path.Combine(root, $"unit-{id}"), broker.Address));
            uplink.Start();
            units.Add((uplink, new SyntheticDetector(uplink.Ring, id, perSecond, int.MaxValue)));
        }

        Thread.Sleep(1000);
        var warmUpUntil = SyntheticPassings.UtcNowMicros() + 2_000_000;
        foreach (var (_, detector) in units)
        {
            detector.Start();
        }

        Thread.Sleep(TimeSpan.FromSeconds(seconds));
        foreach (var (_, detector) in units)
        {
            detector.Stop();
        }

        var made = units.Sum(u => u.Detector.Generated);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (collector.Read((c, _) => c.PassingsStored) < made && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(50);
        }

        foreach (var (uplink, detector) in units)
        {
            uplink.Dispose();
            detector.Dispose();
        }

        var stored = collector.Read((c, _) => c.PassingsStored);
        var delays = collector.Read((_, store) => store.ReadArrivalDelays(warmUpUntil));
        Console.WriteLine($"latency: {unitCount} units × {perSecond} passings/s ({perSecond * 20:N0} reads/s each at 20 reads/passing) for {seconds} s: {made:N0} made, {stored:N0} stored, lost {made - stored}");
        Console.WriteLine($"ring→collector delay after a 2 s warm-up ({delays.Count:N0} passings): {Percentiles(delays)}");
        return made == stored ? 0 : 1;
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

    private static double Option(string[] args, string name, double fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? double.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static int Usage()
    {
        Console.WriteLine("usage: uplink drain [--minutes 60] [--reads-per-second 2000] [--reads-per-passing 20]");
        Console.WriteLine("       uplink latency [--units 10] [--reads-per-second 2000] [--reads-per-passing 20] [--seconds 60]");
        return 2;
    }
}
