using System.Globalization;
using TimingMat.Emulators.Clock;
using TimingMat.Emulators.Pps;
using TimingMat.Emulators.Serial;

namespace TimingMat.Emulators.Gps;

/// <summary>
/// An emulated GPS receiver wired to one unit: PPS edges at the top of each true UTC second, stamped by the
/// unit's managed handler on its local counter (crystal + latency) into a <see cref="QueuedPpsSource"/>, and an
/// NMEA burst (RMC, GGA, optionally ZDA) on the UART a few tens of ms after each edge, at the line's baud rate.
/// Cold starts, outages, broken wires, label offsets and a leap second follow <see cref="GpsEmulatorOptions"/>.
/// </summary>
/// <remarks>
/// Stepped on the true timeline: <see cref="StepTo"/> advances the unit's <see cref="SimulatedClock"/> to the
/// local time that true time maps to, delivering every stamp and byte due on the way, in order. The unit's core
/// is polled between steps (the benchmark steps 10 ms at a time). Seeded: the same options give the same bytes
/// and stamps.
/// </remarks>
public sealed class GpsEmulator
{
    private readonly SimulatedClock _clock;
    private readonly SerialLineEnd _port;
    private readonly QueuedPpsSource _pps;
    private readonly GpsEmulatorOptions _options;
    private readonly Random _random;
    private readonly PriorityQueue<Action, (long Local, long Sequence)> _events = new();
    private readonly long _firstFixUtc;
    private long _nextSecond;
    private long _sequence;

    /// <summary>Initializes a new instance of the <see cref="GpsEmulator"/> class, starting at the true time the unit's clock reads now.</summary>
    /// <param name="clock">The unit's local clock (advanced by <see cref="StepTo"/>).</param>
    /// <param name="timebase">How the unit's counter relates to true time.</param>
    /// <param name="port">The GPS end of the unit's GPS UART (opened here: the receiver always transmits).</param>
    /// <param name="pps">Where the unit's PPS handler puts its stamps.</param>
    /// <param name="options">Receiver behaviour and seed.</param>
    public GpsEmulator(SimulatedClock clock, UnitTimebase timebase, SerialLineEnd port, QueuedPpsSource pps, GpsEmulatorOptions options)
    {
        _clock = clock;
        Timebase = timebase;
        _port = port;
        _pps = pps;
        _options = options;
        _random = new Random(options.Seed);
        _port.Open();
        TrueNow = timebase.ToTrueUtc(clock.Now);
        StartUtcMicros = TrueNow;
        _firstFixUtc = TrueNow + (long)Math.Round(options.AcquisitionSeconds * 1e6);
        _nextSecond = CeilSeconds(TrueNow);
    }

    /// <summary>Gets the unit's timebase (true UTC ↔ local µs).</summary>
    public UnitTimebase Timebase { get; }

    /// <summary>Gets the true UTC µs the emulator started at.</summary>
    public long StartUtcMicros { get; }

    /// <summary>Gets the true UTC µs the emulator has been stepped to.</summary>
    public long TrueNow { get; private set; }

    /// <summary>Gets the true UTC µs of the first second with a fix after the start, or <c>null</c> before it happened.</summary>
    public long? FirstFixUtcMicros { get; private set; }

    /// <summary>Gets the PPS edges the receiver produced (some may be lost on a cut wire or a full capture ring).</summary>
    public int EdgesEmitted { get; private set; }

    /// <summary>Gets the NMEA sentences written to the UART.</summary>
    public int SentencesSent { get; private set; }

    /// <summary>Gets the sentences corrupted on purpose.</summary>
    public int SentencesCorrupted { get; private set; }

    /// <summary>Gives the true UTC of one of the unit's local µs values (the ground truth of a timestamp).</summary>
    /// <param name="localMicros">Local µs of this boot.</param>
    /// <returns>True UTC µs.</returns>
    public long TrueUtcOf(long localMicros) => Timebase.ToTrueUtc(localMicros);

    /// <summary>Gives the POSIX UTC µs (what a mat clock reports) of a true time: the same except after an emulated leap second.</summary>
    /// <param name="trueUtcMicros">True UTC µs.</param>
    /// <returns>POSIX UTC µs; the leap second itself reads as the last µs of 23:59:59.</returns>
    public long PosixOf(long trueUtcMicros)
    {
        if (_options.LeapSecondAfterUtcMicros is not long leap || trueUtcMicros < leap + 1_000_000)
        {
            return trueUtcMicros;
        }

        return trueUtcMicros < leap + 2_000_000 ? leap + 999_999 : trueUtcMicros - 1_000_000;
    }

    /// <summary>Tells whether the receiver has a fix at a true time.</summary>
    /// <param name="trueUtcMicros">True UTC µs.</param>
    /// <returns><c>true</c> with a fix.</returns>
    public bool HasFixAt(long trueUtcMicros)
    {
        if (trueUtcMicros < _firstFixUtc)
        {
            return false;
        }

        return !_options.Schedule.Any(c => c.Covers(trueUtcMicros) && c.Kind is GpsConditionKind.NoFix or GpsConditionKind.ColdStart);
    }

    /// <summary>Advances the unit's clock by a span of true time.</summary>
    /// <param name="trueMicros">True µs to advance; not negative.</param>
    public void StepBy(long trueMicros)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(trueMicros);
        StepTo(TrueNow + trueMicros);
    }

    /// <summary>
    /// Advances to a true time: delivers every PPS stamp and NMEA byte due before it and moves the unit's clock
    /// to the matching local time (never backwards: if someone else moved it further, it stays).
    /// </summary>
    /// <param name="trueUtcMicros">True UTC µs; not before <see cref="TrueNow"/>.</param>
    public void StepTo(long trueUtcMicros)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(trueUtcMicros, TrueNow);

        // Plan each second as soon as its edge is due; its stamp and burst may fall after the target and wait.
        while (_nextSecond * 1_000_000 <= trueUtcMicros)
        {
            PlanSecond(_nextSecond);
            _nextSecond++;
        }

        var target = Timebase.ToLocal(trueUtcMicros);
        while (_events.TryPeek(out _, out var due) && due.Local <= target)
        {
            var action = _events.Dequeue();
            if (_clock.Now < due.Local)
            {
                _clock.AdvanceTo(due.Local);
            }

            action();
        }

        if (_clock.Now < target)
        {
            _clock.AdvanceTo(target);
        }

        TrueNow = trueUtcMicros;
    }

    private static long CeilSeconds(long micros) => (micros + 999_999) / 1_000_000;

    private static bool Active(GpsEmulatorOptions options, GpsConditionKind kind, long at) =>
        options.Schedule.Any(c => c.Kind == kind && c.Covers(at));

    private void At(long local, Action action) => _events.Enqueue(action, (local, _sequence++));

    private void PlanSecond(long second)
    {
        var edge = second * 1_000_000;
        var coldStart = _options.Schedule.FirstOrDefault(c => c.Kind == GpsConditionKind.ColdStart && c.Covers(edge));
        if (coldStart != null && edge - coldStart.FromUtcMicros < 1_000_000)
        {
            // The receiver is rebooting: nothing on either wire.
            return;
        }

        var fix = HasFixAt(edge);
        if (fix && FirstFixUtcMicros == null)
        {
            FirstFixUtcMicros = edge;
        }

        if (!Active(_options, GpsConditionKind.PpsCut, edge) && (fix || _options.PpsWithoutFix))
        {
            // Without a fix the receiver's own oscillator puts the pulse at a wrong phase.
            var pulse = fix ? edge : edge + 370_000;
            var handled = Timebase.ToLocal(pulse) + _options.Latency.Next(_random);
            EdgesEmitted++;
            At(handled, () => _pps.Capture(handled));
        }

        if (Active(_options, GpsConditionKind.NmeaCut, edge))
        {
            return;
        }

        // Before a cold start has time, the receiver prints empty time fields; halfway it has its RTC time.
        var acquiring = coldStart ?? (edge < _firstFixUtc ? new GpsCondition(GpsConditionKind.ColdStart, StartUtcMicros, _firstFixUtc) : null);
        var knowsTime = fix || acquiring == null || edge >= acquiring.FromUtcMicros + ((acquiring.ToUtcMicros - acquiring.FromUtcMicros) / 2);
        var burst = Burst(second, fix, knowsTime);
        var start = edge + _options.NmeaDelayMicros + _random.NextInt64(0, _options.NmeaJitterMicros + 1);
        At(Timebase.ToLocal(start), () => _port.Write(burst, 0, burst.Length));
    }

    private byte[] Burst(long second, bool fix, bool knowsTime)
    {
        var offset = _options.Schedule.Where(c => c.Kind == GpsConditionKind.LabelOffset && c.Covers(second * 1_000_000)).Sum(c => c.OffsetSeconds);
        var label = Label(second + offset);
        var time = knowsTime ? label.Time : string.Empty;
        var sentences = new List<string>();
        if (_options.SendRmc)
        {
            var date = knowsTime ? label.Date.ToString("ddMMyy", CultureInfo.InvariantCulture) : string.Empty;
            sentences.Add(fix
                ? $"{_options.Talker}RMC,{time},A,4717.11437,N,00833.91522,E,0.004,77.52,{date},,,A"
                : $"{_options.Talker}RMC,{time},V,,,,,,,{date},,,N");
        }

        if (_options.SendGga)
        {
            var satellites = 7 + _random.Next(6);
            sentences.Add(fix
                ? $"{_options.Talker}GGA,{time},4717.11437,N,00833.91522,E,1,{satellites:00},1.01,499.6,M,48.0,M,,"
                : $"{_options.Talker}GGA,{time},,,,,0,00,99.99,,,,,,");
        }

        if (_options.SendZda)
        {
            var date = knowsTime ? label.Date.ToString("dd,MM,yyyy", CultureInfo.InvariantCulture) : ",,";
            sentences.Add($"{_options.Talker}ZDA,{time},{date},00,00");
        }

        var bytes = new List<byte>();
        foreach (var body in sentences)
        {
            var sentence = NmeaFormat.Sentence(body);
            if (_options.CorruptSentenceRate > 0 && _random.NextDouble() < _options.CorruptSentenceRate)
            {
                // One flipped bit inside the sentence body: the checksum catches it.
                sentence[1 + _random.Next(body.Length)] ^= 0x04;
                SentencesCorrupted++;
            }

            bytes.AddRange(sentence);
            SentencesSent++;
        }

        return [.. bytes];
    }

    private (string Time, DateTime Date) Label(long second)
    {
        if (_options.LeapSecondAfterUtcMicros is long leap)
        {
            var last = leap / 1_000_000;
            if (second == last + 1)
            {
                var day = DateTime.UnixEpoch.AddSeconds(last);
                return ("235960.00", day.Date);
            }

            if (second > last + 1)
            {
                second--;
            }
        }

        var utc = DateTime.UnixEpoch.AddSeconds(second);
        return (utc.ToString("HHmmss", CultureInfo.InvariantCulture) + ".00", utc.Date);
    }
}
