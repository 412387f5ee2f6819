using TimingMat.Emulators.Crossings;
using TimingMat.Emulators.Gps;
using TimingMat.Simulation.Field;

namespace TimingMat.Simulation.Engine;

/// <summary>
/// The runners reaching one mat, from the race truth, as the crossing model wants them: in order of crossing time,
/// on the unit's local clock (its crystal), with a lateral position and chip heights drawn per runner. Only the
/// crossings in a span of true time are given (the whole race in the simulator, the played window in a HIL run).
/// </summary>
internal sealed class FieldRunnerStream : IRunnerStream
{
    private readonly IReadOnlyList<TrueMatCrossing> _crossings;
    private readonly UnitTimebase _timebase;
    private readonly double _matWidthM;
    private readonly int _seed;
    private readonly long _toTrueUtcMicros;
    private readonly Action<RunnerCrossing>? _seen;
    private int _index;

    public FieldRunnerStream(IReadOnlyList<TrueMatCrossing> crossings, long fromTrueUtcMicros, long toTrueUtcMicros, UnitTimebase timebase, double matWidthM, int seed, Action<RunnerCrossing>? seen = null)
    {
        _seen = seen;
        _crossings = crossings;
        _toTrueUtcMicros = toTrueUtcMicros;
        _timebase = timebase;
        _matWidthM = matWidthM;
        _seed = seed;
        var lo = 0;
        var hi = crossings.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (crossings[mid].UtcMicros < fromTrueUtcMicros)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        _index = lo;
    }

    public bool TryNext(out RunnerCrossing runner)
    {
        if (_index >= _crossings.Count || _crossings[_index].UtcMicros >= _toTrueUtcMicros)
        {
            runner = null!;
            return false;
        }

        var crossing = _crossings[_index++];
        var plan = crossing.Runner;

        // Per runner and mat, not per stream: a rebooted unit sees the same runner in the same place.
        var random = new Random(Seeds.Mix(_seed, plan.Athlete.Bib, crossing.UnitId));
        var lateral = (random.NextDouble() - 0.5) * _matWidthM * 0.9;
        var height = 1.0 + (random.NextDouble() * 0.4);
        var chips = plan.Carried == null
            ? new[] { new ModelChip(plan.Athlete.Chip, height) }
            : new[] { new ModelChip(plan.Athlete.Chip, height), new ModelChip(plan.Carried.Chip, height - 0.05, LateralOffsetM: 0.15, AlongOffsetM: 0.03) };
        runner = new RunnerCrossing(plan.Athlete.Bib, _timebase.ToLocal(crossing.UtcMicros), crossing.SpeedMetersPerSecond, lateral, chips);
        _seen?.Invoke(runner);
        return true;
    }
}
