using System.Globalization;
using TimingMat.Core.RaceDay;
using TimingMat.Core.Unit;
using TimingMat.Simulation.Field;
using TimingMat.Simulation.Hil;
using TimingMat.Simulation.Scenarios;

namespace TimingMat.Tent.Emulation;

/// <summary>
/// <c>timingmat emulate</c>: a fleet of emulated mat units on a real broker, in real time, so a crew can rehearse
/// without boards and the tent tools can be tested. Every unit is the real unit application on the simulator's
/// emulated hardware (<see cref="EmulatedUnit"/>), fed by runners crossing its mat at a steady rate, publishing
/// passings and status and answering signed commands, with faults on cue (<see cref="FaultPlan"/>).
/// </summary>
/// <remarks>
/// <para>The true timeline is the host's clock (<see cref="RealTimeline"/> from the host's UTC when the fleet is made,
/// the start that fault times count from), so the units' GPS clocks agree with a synchronised host. The units boot
/// <see cref="EmulationOptions.WarmUp"/> before the start and run on fast time, their MQTT connects held, until they have
/// caught up with the host's clock: they go live with a fix and a locked clock, a few seconds after the start. Then, on
/// one thread, every unit is stepped to the real time of its poll and polled, every 10 ms as a board's loop.</para>
/// <para>The mats lie 10 m apart at the start of a course (the first is a start mat, the last a finish mat with three
/// units or more, the others splits), so runners cross one after the other a few seconds apart.</para>
/// </remarks>
public sealed class EmulatedFleet : IDisposable
{
    // The board's loop polls every 10 ms; so does the simulator.
    private const long PollMicros = 10_000;

    private readonly EmulationOptions _options;
    private readonly List<EmulatedUnit> _units = [];
    private readonly RealTimeline _timeline;
    private long _cursor;
    private Thread? _thread;
    private CancellationTokenSource? _stop;
    private bool _started;

    /// <summary>Initializes a new instance of the <see cref="EmulatedFleet"/> class: the units built, not booted; fault times count from now.</summary>
    /// <param name="options">What to emulate.</param>
    /// <exception cref="ArgumentException">No unit, the same unit twice, a rate or warm-up out of range, a journal-filling fault without runners.</exception>
    public EmulatedFleet(EmulationOptions options)
    {
        if (options.Units.Count == 0 || options.Units.Select(u => u.Id).Distinct().Count() != options.Units.Count)
        {
            throw new ArgumentException("give one or more units, each id once", nameof(options));
        }

        if (options.RunnersPerSecond is < 0 or > 50 || options.WarmUp < TimeSpan.Zero || options.WarmUp > TimeSpan.FromSeconds(50))
        {
            throw new ArgumentException("runners per second must be 0-50 and the warm-up 0-50 s", nameof(options));
        }

        if (options.RunnersPerSecond <= 0 && options.Faults.Faults.Any(f => f.Kind == EmulatedFaultKind.JournalFilling))
        {
            throw new ArgumentException("journal-filling sizes the journal by the runners' rate: give a rate above 0", nameof(options));
        }

        _options = options;
        _timeline = new RealTimeline(Commands.TentCommander.SystemUtcMicros());
        StartUtcMicros = _timeline.StartTrueUtcMicros;
        var bootUtc = StartUtcMicros - (long)(options.WarmUp.TotalMilliseconds * 1000);
        _cursor = bootUtc;
        var scenario = Scenario(options, bootUtc, StartUtcMicros);
        var field = RaceField.Generate(scenario, options.Seed);
        foreach (var spec in options.Units)
        {
            var mat = scenario.Mats.First(m => m.UnitId == spec.Id);
            _units.Add(new EmulatedUnit(spec, mat, scenario, field, options, bootUtc, StartUtcMicros, () => _timeline.TrueNow));
        }
    }

    /// <summary>Gets the units.</summary>
    public IReadOnlyList<EmulatedUnit> Units => _units;

    /// <summary>Gets a value indicating whether the warm-up is over and the units run in real time on the broker.</summary>
    public bool IsLive { get; private set; }

    /// <summary>Gets the host's UTC when the fleet was made, µs: fault times (<c>at</c>) count from it.</summary>
    public long StartUtcMicros { get; }

    /// <summary>Gets the host's UTC when the units went live (caught up with the host's clock), µs, or 0 before.</summary>
    public long LiveUtcMicros { get; private set; }

    /// <summary>Boots the units and runs them on fast time (on the calling thread) until they have caught up with the host's clock; then they are live.</summary>
    /// <exception cref="InvalidOperationException">This computer cannot run so many units as fast as real time.</exception>
    public void Boot()
    {
        if (_started)
        {
            return;
        }

        _started = true;
        foreach (var unit in _units)
        {
            unit.Link.Held = true;
            unit.Start();
        }

        // The warm-up and the real time it takes, on fast time: a fleet that runs faster than real time catches up.
        var limit = (long)(_options.WarmUp.TotalMilliseconds * 1000 * 2) + 30_000_000;
        long now;
        while ((now = _timeline.TrueNow) - _cursor > PollMicros)
        {
            if (_timeline.ElapsedMicros > limit)
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"the {_units.Count} emulated unit(s) run slower than real time on this computer ({(now - _cursor) / 1e6:0.#} s behind after {_timeline.ElapsedMicros / 1e6:0} s): emulate fewer units, a lower --rate, or on a less busy computer"));
            }

            _cursor = Math.Min(now, _cursor + PollMicros);
            foreach (var unit in _units)
            {
                unit.Step(_cursor);
            }
        }

        foreach (var unit in _units)
        {
            unit.Link.Release();
        }

        LiveUtcMicros = _cursor;
        IsLive = true;
    }

    /// <summary>Runs the live fleet in real time until cancelled or for a while, on the calling thread; then stops the units cleanly.</summary>
    /// <param name="cancel">Stops the run.</param>
    /// <param name="duration">How long to run live, or null until cancelled.</param>
    /// <param name="report">Receives the units' lines every <paramref name="reportInterval"/>, or null.</param>
    /// <param name="reportInterval">How often to report.</param>
    public void Run(CancellationToken cancel, TimeSpan? duration, Action<IReadOnlyList<string>>? report, TimeSpan reportInterval)
    {
        Boot();
        var live = _timeline.TrueNow;
        var end = duration == null ? long.MaxValue : live + (long)(duration.Value.TotalMilliseconds * 1000);
        var nextReport = live + (long)(reportInterval.TotalMilliseconds * 1000);
        var nextPoll = live;
        while (!cancel.IsCancellationRequested)
        {
            var now = _timeline.TrueNow;
            if (now >= end)
            {
                break;
            }

            // Each unit is stepped to the real time of its own poll: its mat clock then reads what a board's would.
            foreach (var unit in _units)
            {
                unit.Step(Math.Min(_timeline.TrueNow, end));
            }

            _cursor = now;
            if (report != null && now >= nextReport)
            {
                nextReport += (long)(reportInterval.TotalMilliseconds * 1000);
                report([.. _units.Select(u => u.Line())]);
            }

            // The next poll 10 ms after this one; a loop that fell behind polls at once rather than catching up in a burst.
            nextPoll = Math.Max(nextPoll + PollMicros, _timeline.TrueNow - PollMicros);
            var wait = nextPoll - _timeline.TrueNow;
            if (wait > 0)
            {
                cancel.WaitHandle.WaitOne(TimeSpan.FromTicks(wait * 10));
            }
        }

        Stop();
    }

    /// <summary>Boots the fleet and runs it live on a thread of its own (tests, and a tool that emulates beside its own work).</summary>
    public void Start()
    {
        Boot();
        _stop = new CancellationTokenSource();
        var token = _stop.Token;
        _thread = new Thread(() => Run(token, null, null, TimeSpan.FromHours(1))) { IsBackground = true, Name = "emulated-fleet" };
        _thread.Start();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_thread != null)
        {
            _stop!.Cancel();
            _thread.Join();
            _thread = null;
        }
        else
        {
            Stop();
        }

        foreach (var unit in _units)
        {
            unit.Link.Inner.Dispose();
        }

        _stop?.Dispose();
    }

    private static Scenario Scenario(EmulationOptions options, long bootUtc, long startUtc)
    {
        var baseline = ScenarioLoader.LoadBuiltIn("half");
        var count = options.Units.Count;
        var mats = options.Units.Select((u, i) => new MatSpec(
            u.Id,
            u.Name,
            i == 0 ? UnitRole.Start : (i == count - 1 && count >= 3 ? UnitRole.Finish : UnitRole.Split),
            i * 0.01,
            [],
            bootUtc - 3_600_000_000,
            startUtc + 7L * 24 * 3_600_000_000,
            new ReaderSpec(ReaderProtocol.R2000, 500, 4))).ToList();

        // Runners line up behind the start line from the start, at the rate asked, for as long as asked.
        var runners = (int)Math.Clamp(options.RunnersPerSecond * options.RunnersFor.TotalSeconds, 0, 200_000);
        var gps = options.Faults.Faults
            .Where(f => f.Kind == EmulatedFaultKind.GpsLoss)
            .Select(f => new FaultSpec(
                FaultKind.GpsLoss,
                mats.First(m => m.UnitId == f.Unit).Name,
                f.AtMicros == 0 ? bootUtc : startUtc + f.AtMicros,
                f.DurationMicros == long.MaxValue ? long.MaxValue / 4 : f.DurationMicros + (f.AtMicros == 0 ? startUtc - bootUtc : 0)))
            .ToList();
        return baseline with
        {
            Name = "emulate",
            Mats = mats,
            Corrals = [new CorralSpec("A", 1, 1.0)],
            Waves = [new WaveSpec(1, startUtc - 12_000_000)],
            Runners = baseline.Runners with
            {
                Count = Math.Max(runners, 1),
                StartRatePerSecond = Math.Max(options.RunnersPerSecond, 1e-6),
                TwoChipsShare = 0,
                BadBibShare = 0,
                DropoutShare = 0,
                SkipMatShare = 0,
                LateStartShare = 0,
                CheckInShare = 0,
            },
            Lora = baseline.Lora with { Fitted = false },

            // A PPS interrupt handler as a board's: 0-2 ms late, so a healthy unit states well under a millisecond.
            Gps = baseline.Gps with { Latency = "uniform2" },
            Faults = gps,
        };
    }

    private void Stop()
    {
        foreach (var unit in _units)
        {
            if (_started)
            {
                unit.Stop();
            }
        }

        _started = false;
    }
}
