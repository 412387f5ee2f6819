using TimingMat.Core.RaceDay;
using TimingMat.Simulation.Scenarios;
using static TimingMat.Host.Clock.Micros;

namespace TimingMat.Simulation.Field;

/// <summary>
/// The runners of a scenario and the truth of the race: every athlete, how each starter runs, and every true mat
/// crossing in time order per mat. Generated from the scenario and a seed; the same seed gives the same race.
/// </summary>
public sealed class RaceField
{
    private readonly Dictionary<int, List<TrueMatCrossing>> _byUnit;

    private RaceField(Scenario scenario, List<Athlete> athletes, List<RunnerPlan> runners, Dictionary<int, List<TrueMatCrossing>> byUnit)
    {
        Scenario = scenario;
        Athletes = athletes;
        Runners = runners;
        _byUnit = byUnit;
    }

    /// <summary>Gets the scenario.</summary>
    public Scenario Scenario { get; }

    /// <summary>Gets every registered athlete (starters, and athletes whose chip a starter carries).</summary>
    public IReadOnlyList<Athlete> Athletes { get; }

    /// <summary>Gets the starters.</summary>
    public IReadOnlyList<RunnerPlan> Runners { get; }

    /// <summary>Gets the number of starters carrying a second athlete's chip.</summary>
    public int TwoChipCarriers => Runners.Count(r => r.Carried != null);

    /// <summary>Gets the true crossings of one mat in time order.</summary>
    /// <param name="unitId">The mat's unit id.</param>
    /// <returns>The crossings, earliest first.</returns>
    public IReadOnlyList<TrueMatCrossing> CrossingsAt(int unitId) => _byUnit.TryGetValue(unitId, out var list) ? list : [];

    /// <summary>Generates the field and its truth.</summary>
    /// <param name="scenario">The scenario.</param>
    /// <param name="seed">Seed of every random choice.</param>
    /// <param name="runnerCount">Overrides the scenario's runner count, or null.</param>
    /// <returns>The field.</returns>
    public static RaceField Generate(Scenario scenario, int seed, int? runnerCount = null)
    {
        var random = new Random(seed);
        var spec = scenario.Runners;
        var count = runnerCount ?? spec.Count;

        // Paces: log-normal around the median, clipped; faster runners line up in the front corrals (with mixing).
        var paces = new double[count];
        for (var i = 0; i < count; i++)
        {
            paces[i] = Math.Clamp(spec.MedianPaceSecondsPerKm * Math.Exp(spec.PaceSpread * Gaussian(random)), spec.FastestPaceSecondsPerKm, spec.SlowestPaceSecondsPerKm);
        }

        var rank = new int[count];
        var byPace = Enumerable.Range(0, count).OrderBy(i => paces[i]).ToArray();
        for (var r = 0; r < count; r++)
        {
            rank[byPace[r]] = r;
        }

        var order = Enumerable.Range(0, count)
            .Select(i => (Index: i, Key: rank[i] + (Gaussian(random) * 0.08 * count)))
            .OrderBy(p => p.Key)
            .Select(p => p.Index)
            .ToList();
        var corralOf = AssignCorrals(scenario, order, count);

        var athletes = new List<Athlete>(count);
        var runners = new List<RunnerPlan>(count);
        var nextBib = 1;
        var ghostBib = count + 1;
        var carriedIndex = 0;
        foreach (var wave in scenario.Waves)
        {
            var inWave = order.Where(i => scenario.Corrals[corralOf[i]].Wave == wave.Number).ToList();
            var clock = wave.GunUtcMicros + (12 * Second);
            var lateStarters = new List<(int Index, Athlete Athlete)>();
            foreach (var index in inWave)
            {
                var corral = scenario.Corrals[corralOf[index]];
                var athlete = new Athlete(nextBib, corral.Name, wave.Number, Epc(nextBib), Runs: true);
                nextBib++;
                athletes.Add(athlete);
                if (random.NextDouble() < spec.LateStartShare)
                {
                    lateStarters.Add((index, athlete));
                    continue;
                }

                clock += (long)(-Math.Log(1 - random.NextDouble()) / spec.StartRatePerSecond * Second);
                runners.Add(Plan(scenario, random, athlete, paces[index], clock, lateStart: false, ref ghostBib, ref carriedIndex, athletes));
            }

            foreach (var (index, athlete) in lateStarters)
            {
                var start = clock + (long)((60 + (random.NextDouble() * 540)) * Second);
                runners.Add(Plan(scenario, random, athlete, paces[index], start, lateStart: true, ref ghostBib, ref carriedIndex, athletes));
            }
        }

        return new RaceField(scenario, athletes, runners, BuildCrossings(scenario, runners, random));
    }

    /// <summary>Makes the EPC of a bib: "TM" then the bib, big-endian, in 12 bytes (race chips often carry the bib).</summary>
    /// <param name="bib">Bib number.</param>
    /// <returns>The 12-byte EPC.</returns>
    public static byte[] Epc(int bib) => [0x54, 0x4D, 0, 0, 0, 0, 0, 0, (byte)(bib >> 24), (byte)(bib >> 16), (byte)(bib >> 8), (byte)bib];

    /// <summary>Reads the bib back out of an EPC made by <see cref="Epc"/>.</summary>
    /// <param name="epc">The EPC bytes.</param>
    /// <returns>The bib, or -1 when the EPC is not a simulated race chip.</returns>
    public static int TryBibOf(ReadOnlySpan<byte> epc)
    {
        if (epc.Length != 12 || epc[0] != 0x54 || epc[1] != 0x4D)
        {
            return -1;
        }

        return (epc[8] << 24) | (epc[9] << 16) | (epc[10] << 8) | epc[11];
    }

    private static RunnerPlan Plan(Scenario scenario, Random random, Athlete athlete, double pace, long start, bool lateStart, ref int ghostBib, ref int carried, List<Athlete> athletes)
    {
        var spec = scenario.Runners;
        Athlete? ghost = null;
        if (random.NextDouble() < spec.TwoChipsShare)
        {
            ghost = new Athlete(ghostBib, athlete.Corral, athlete.Wave, Epc(ghostBib), Runs: false);
            ghostBib++;
            carried++;
            athletes.Add(ghost);
        }

        long? checkIn = null;
        var checkInMat = scenario.TimingPoints.FirstOrDefault(m => m.Role == UnitRole.CheckIn && m.Corrals.Contains(athlete.Corral));
        if (checkInMat != null && random.NextDouble() < spec.CheckInShare)
        {
            var window = checkInMat.CutoffUtcMicros - checkInMat.OpensUtcMicros - (3 * 60 * Second);
            checkIn = checkInMat.OpensUtcMicros + (2 * 60 * Second) + (long)(random.NextDouble() * Math.Max(window, Second));
        }

        double? dropout = random.NextDouble() < spec.DropoutShare ? 0.5 + (random.NextDouble() * (scenario.DistanceKm - 0.7)) : null;
        int? skipped = null;
        var skippable = scenario.TimingPoints.Where(m => m.Role is UnitRole.Split or UnitRole.Turnaround).ToList();
        if (skippable.Count > 0 && random.NextDouble() < spec.SkipMatShare)
        {
            skipped = skippable[random.Next(skippable.Count)].UnitId;
        }

        return new RunnerPlan
        {
            Athlete = athlete,
            Carried = ghost,
            PaceSecondsPerKm = pace,
            Fade = random.NextDouble() * 0.15,
            StartUtcMicros = start,
            CheckInUtcMicros = checkIn,
            DropoutKm = dropout,
            SkippedUnitId = skipped,
            BadBib = random.NextDouble() < spec.BadBibShare,
            LateStart = lateStart,
        };
    }

    private static Dictionary<int, List<TrueMatCrossing>> BuildCrossings(Scenario scenario, List<RunnerPlan> runners, Random random)
    {
        var byUnit = scenario.Mats.ToDictionary(m => m.UnitId, _ => new List<TrueMatCrossing>());
        foreach (var runner in runners)
        {
            foreach (var mat in scenario.TimingPoints)
            {
                if (mat.Role == UnitRole.CheckIn)
                {
                    if (runner.CheckInUtcMicros is { } at && mat.Corrals.Contains(runner.Athlete.Corral))
                    {
                        byUnit[mat.UnitId].Add(new TrueMatCrossing(mat.UnitId, at, runner, 1.0 + (random.NextDouble() * 0.6)));
                    }

                    continue;
                }

                if ((runner.DropoutKm is { } dropout && mat.Km > dropout) || runner.SkippedUnitId == mat.UnitId)
                {
                    continue;
                }

                // Crowded starts are crossed at a jog; elsewhere at the runner's current pace.
                var speed = mat.Role == UnitRole.Start ? 1.5 + random.NextDouble() : 1000 / (runner.PaceSecondsPerKm * (1 + (runner.Fade * mat.Km / scenario.DistanceKm)));
                byUnit[mat.UnitId].Add(new TrueMatCrossing(mat.UnitId, runner.TimeAtKm(mat.Km, scenario.DistanceKm), runner, speed));
            }
        }

        // A backup line sees the same runners offset/speed later (earlier when it lies before the main line), at the same speed.
        foreach (var backup in scenario.Mats.Where(m => m.BackupOf != null))
        {
            var main = scenario.Mats.First(m => m.Name == backup.BackupOf);
            byUnit[backup.UnitId] = [.. byUnit[main.UnitId].Select(c => c with { UnitId = backup.UnitId, UtcMicros = c.UtcMicros + (long)Math.Round(backup.OffsetM / c.SpeedMetersPerSecond * Second) })];
        }

        foreach (var list in byUnit.Values)
        {
            list.Sort((a, b) => a.UtcMicros.CompareTo(b.UtcMicros));
        }

        return byUnit;
    }

    private static int[] AssignCorrals(Scenario scenario, List<int> order, int count)
    {
        var corralOf = new int[count];
        var position = 0;
        for (var c = 0; c < scenario.Corrals.Count; c++)
        {
            var size = c == scenario.Corrals.Count - 1 ? count - position : (int)Math.Round(scenario.Corrals[c].Share * count);
            for (var k = 0; k < size && position < count; k++, position++)
            {
                corralOf[order[position]] = c;
            }
        }

        return corralOf;
    }

    private static double Gaussian(Random random)
    {
        // Box–Muller; 1 - NextDouble() avoids log(0).
        return Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
    }
}
