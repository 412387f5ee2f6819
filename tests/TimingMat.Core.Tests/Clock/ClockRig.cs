using TimingMat.Core.Clock;
using TimingMat.Core.Hardware;
using TimingMat.Emulators.Gps;
using TimingMat.Emulators.Pps;

namespace TimingMat.Core.Tests.Clock;

/// <summary>
/// One emulated unit with its GPS and the real <see cref="MatClock"/>, stepped 10 ms at a time on the true
/// timeline; records state changes and measures the clock's error against the truth.
/// </summary>
internal sealed class ClockRig
{
    public const long Poll = 10_000;

    private readonly Func<long, long> _counter;

    public ClockRig(
        GpsEmulatorOptions options,
        DateTime startUtc,
        double ppm = 7.3,
        double wanderPpm = 0,
        MatClockSettings? settings = null,
        int baudRate = 9600,
        long localAtBoot = 2_000_000,
        Func<long, long>? counter = null)
    {
        StartUtc = Micros(startUtc);
        Rig = new GpsRig(new CrystalOscillator(ppm, wanderPpm: wanderPpm, seed: options.Seed, referenceUtcMicros: StartUtc), StartUtc, options, baudRate, localAtBoot);
        _counter = counter ?? (l => l);
        Clock = new MatClock(new CounterView(Rig.Clock, _counter), Rig.GpsPort, new PpsView(Rig.Pps, _counter), settings ?? new MatClockSettings());
        State = Clock.State;
    }

    public long StartUtc { get; }

    public GpsRig Rig { get; }

    public MatClock Clock { get; }

    public ClockState State { get; private set; }

    public List<(long AtUtc, ClockState State)> Transitions { get; } = [];

    public long? FirstLockUtc => Transitions.Where(t => t.State == ClockState.Locked).Select(t => (long?)t.AtUtc).FirstOrDefault();

    public long TrueNow => Rig.Gps.TrueNow;

    /// <summary>Gets the largest |error| seen at each poll while the clock said Locked.</summary>
    public long MaxLockedError { get; private set; }

    /// <summary>Gets how many locked polls had an |error| beyond the stated uncertainty.</summary>
    public int BeyondUncertainty { get; private set; }

    public static long Micros(DateTime utc) => (utc - DateTime.UnixEpoch).Ticks / 10;

    public static long Seconds(double seconds) => (long)Math.Round(seconds * 1e6);

    public void RunFor(double seconds, Action? eachPoll = null) => RunUntil(TrueNow + Seconds(seconds), eachPoll);

    public void RunUntil(long trueUtc, Action? eachPoll = null)
    {
        while (TrueNow < trueUtc)
        {
            Rig.Gps.StepBy(Poll);
            Clock.Poll();
            if (Clock.State != State)
            {
                State = Clock.State;
                Transitions.Add((TrueNow, State));
            }

            if (State == ClockState.Locked)
            {
                var (mat, error) = Now();
                MaxLockedError = Math.Max(MaxLockedError, Math.Abs(error));
                if (Math.Abs(error) > mat.UncertaintyMicros)
                {
                    BeyondUncertainty++;
                }
            }

            eachPoll?.Invoke();
        }
    }

    /// <summary>Converts the unit's counter now and compares with the true (POSIX) UTC.</summary>
    public (MatTime Time, long Error) Now() => At(Rig.Clock.Now);

    /// <summary>Converts one of the unit's local µs and compares with the true (POSIX) UTC.</summary>
    public (MatTime Time, long Error) At(long local)
    {
        var mat = Clock.ToMatTime(_counter(local));
        return (mat, mat.UtcMicros - Rig.Gps.PosixOf(Rig.Timebase.ToTrueUtc(local)));
    }

    /// <summary>The unit's counter as the core sees it (e.g. wrapping at 32 bits, or restarted).</summary>
    private sealed class CounterView(TimingMat.Emulators.Clock.SimulatedClock clock, Func<long, long> view) : IMicrosecondClock
    {
        public long GetMicroseconds() => view(clock.Now);
    }

    private sealed class PpsView(QueuedPpsSource pps, Func<long, long> view) : IPpsSource
    {
        public int DroppedEdges => pps.DroppedEdges;

        public bool TryTakeEdge(out long localMicros)
        {
            if (!pps.TryTakeEdge(out var raw))
            {
                localMicros = 0;
                return false;
            }

            localMicros = view(raw);
            return true;
        }
    }
}
