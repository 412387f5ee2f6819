using TimingMat.Emulators.Crossings;
using TimingMat.Emulators.Reader;
using TimingMat.Simulation.Field;
using TimingMat.Simulation.Scoring;
using static TimingMat.Host.Clock.Micros;

namespace TimingMat.Simulation.Engine;

/// <summary>
/// What the simulator sees at one mat beyond what the unit reports, kept across its boots: the covered tags, when the
/// mat was blind (power cut, reader silence) until its reader read again, the Cramér–Rao bound of every crossing for
/// the reads the modules reported, and the read budget second by second (what the crowd offered the readers against
/// what they reported). Scoring uses it to explain every crossing no reader read and to put each mat's error beside
/// the physics.
/// </summary>
internal sealed class MatObservations
{
    /// <summary>A blind span still open ends at the first read reported after it, or this long after its cause ended.</summary>
    private const long BlindSpanLimitMicros = 60 * Second;

    private readonly HashSet<int> _covered = [];
    private readonly HashSet<int> _unreached = [];
    private readonly List<BlindSpan> _blind = [];
    private readonly List<double> _bounds = [];
    private readonly Dictionary<long, ReadBudgetSecond> _budget = [];
    private MatRig? _rig;
    private CrossingBound? _bound;
    private (long From, long CauseEnds, NeverReadCause Cause)? _open;
    private long _nextSample;
    private double _offeredSoFar;
    private long _reportedSoFar;

    /// <summary>Gets the bibs whose tag the crossing model covered at this mat.</summary>
    public IReadOnlySet<int> Covered => _covered;

    /// <summary>Gets the bibs the readers never read although they had the chance: the chip never came within the antennas' reach, or every attempt fell below the sensitivity.</summary>
    public IReadOnlySet<int> Unreached => _unreached;

    /// <summary>Gets the spans of true time the mat could read nothing, and why.</summary>
    public IReadOnlyList<BlindSpan> BlindSpans => _blind;

    /// <summary>Gets the read budget per true second (only seconds with reads offered or reported).</summary>
    public IReadOnlyDictionary<long, ReadBudgetSecond> Budget => _budget;

    /// <summary>Gets the bound of every crossing taken so far, ms (call <see cref="Finish"/> first for all of them).</summary>
    public IReadOnlyList<double> Bounds => _bounds;

    /// <summary>Follows a freshly powered mat's hardware: its runners, covered tags and the reads its modules report.</summary>
    /// <param name="rig">This boot's hardware.</param>
    public void Attach(MatRig rig)
    {
        _rig = rig;
        _offeredSoFar = 0;
        _reportedSoFar = 0;
        var bound = new CrossingBound(rig.Model, withKnownCurve: false);
        _bound = bound;
        rig.RunnerComing += bound.Expect;
        rig.Model.ChipAdmitted += chip =>
        {
            if (chip.Blocked)
            {
                _covered.Add(RaceField.TryBibOf(chip.Epc));
            }
        };
        rig.Model.ChipLeft += (chip, exposure) =>
        {
            // Never strong enough to answer, or answered in its slots but never above the sensitivity: out of reach.
            // (Answerable but given no slot is the crowd's doing; that needs no list.)
            if (exposure.Reads == 0 && (exposure.RoundsAnswerable == 0 || exposure.Slots > 0))
            {
                _unreached.Add(RaceField.TryBibOf(chip.Epc));
            }
        };
        var ports = rig.Spec.Reader.Antennas;
        for (var i = 0; i < rig.Readers.Count; i++)
        {
            var first = i * ports;
            rig.Readers[i].ReadReported += read => OnRead(read, first);
        }
    }

    /// <summary>Samples the budget and settles the bounds of crossings past the mat; call at every step.</summary>
    /// <param name="trueUtc">True UTC µs now.</param>
    public void Sample(long trueUtc)
    {
        if (_rig == null || trueUtc < _nextSample)
        {
            return;
        }

        _nextSample = ((trueUtc / Second) + 1) * Second;
        var offered = 0.0;
        for (var i = 0; i < _rig.Readers.Count; i++)
        {
            offered += _rig.Model.OfferedReads(i);
        }

        var reported = _rig.ReadsReported;
        if (offered > _offeredSoFar || reported > _reportedSoFar)
        {
            var key = (trueUtc - 1) / Second;
            var bin = _budget.GetValueOrDefault(key);
            _budget[key] = new ReadBudgetSecond(bin.Offered + offered - _offeredSoFar, bin.Reported + reported - _reportedSoFar);
            _offeredSoFar = offered;
            _reportedSoFar = reported;
        }

        _bound!.Settle(_rig.Gps.Clock.Now);
        if (_open is { } open && trueUtc > open.CauseEnds + BlindSpanLimitMicros)
        {
            Close(open.CauseEnds + BlindSpanLimitMicros);
        }
    }

    /// <summary>The mat's readers go silent for a while: blind until they report a read again.</summary>
    /// <param name="trueUtc">True UTC µs it starts.</param>
    /// <param name="micros">How long the modules stay silent.</param>
    public void ReadersSilenced(long trueUtc, long micros) => Open(trueUtc, trueUtc + micros, NeverReadCause.ReaderSilence);

    /// <summary>The mat loses power: blind until its reader reports a read after the reboot.</summary>
    /// <param name="trueUtc">True UTC µs of the cut.</param>
    /// <param name="powerBackAt">True UTC µs power returns.</param>
    public void PowerCut(long trueUtc, long powerBackAt)
    {
        Sample(trueUtc);
        Open(trueUtc, powerBackAt, NeverReadCause.PowerCut);
        Harvest();
        _rig = null;
    }

    /// <summary>The run is over: takes the bounds of the chips still held.</summary>
    public void Finish()
    {
        Harvest();
        if (_open is { } open)
        {
            Close(open.CauseEnds + BlindSpanLimitMicros);
        }
    }

    private void Harvest()
    {
        // One bound per boot, taken once: at the power cut that ends the boot or at the end of the run.
        if (_bound != null)
        {
            _bound.TakeAll();
            _bounds.AddRange(_bound.Bounds);
            _bound = null;
        }
    }

    private void OnRead(EmulatedRead read, int firstAntenna)
    {
        _bound?.OnRead(read.Epc, read.AtMicros, firstAntenna + read.Antenna - 1);
        if (_open is { } open && _rig != null)
        {
            var at = _rig.Gps.Timebase.ToTrueUtc(read.AtMicros);
            if (at >= open.CauseEnds)
            {
                Close(at);
            }
        }
    }

    private void Open(long from, long causeEnds, NeverReadCause cause)
    {
        if (_open is { } open)
        {
            // A second fault before the reader came back: one blind span, blamed on the fault that started it.
            _open = (open.From, Math.Max(open.CauseEnds, causeEnds), open.Cause);
            return;
        }

        _open = (from, causeEnds, cause);
    }

    private void Close(long to)
    {
        var open = _open!.Value;
        _blind.Add(new BlindSpan(open.From, to, open.Cause));
        _open = null;
    }
}
