// Over ~400 lines for a reason: half of it is the public API (the counters and properties the unit's status and
// bring-up read); the polled path keeps the local counter's fields here, as another object would cost IL every poll.
using TimingMat.Core.Clock.Nmea;
using TimingMat.Core.Common;
using TimingMat.Core.Hardware;

namespace TimingMat.Core.Clock
{
    /// <summary>
    /// The mat's GPS-disciplined clock: maps the unit's local µs counter to UTC from the GPS's PPS edges and NMEA
    /// second labels, so that every mat of a race agrees on the time. Polled from the unit's loop; never blocks.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Each PPS edge arrives as the local µs when the managed handler ran: 0.1–25 ms after the real edge, never
    /// before. The clock numbers the edges in whole seconds (each one a whole number of seconds after the last),
    /// names them from the NMEA sentences that follow each edge within the label window, and fits a
    /// <see cref="LowerEnvelopeFit"/> under the last <see cref="MatClockSettings.WindowEdges"/> stamps: the fit
    /// follows the quickest handler runs, so the one-sided latency does not bias it as an average would.
    /// </para>
    /// <para>
    /// States: Unsynced (no GPS time since boot) → Locked (enough labelled edges agree and the uncertainty is
    /// small) → Holdover (no confirmed PPS for <see cref="MatClockSettings.HoldoverAfterMicros"/>: the last line
    /// keeps running with its frequency estimate and the uncertainty grows) → Locked again once fresh edges and
    /// labels agree. Edges whose NMEA burst reports no fix are never used; a GPS time jump is accepted only after
    /// <see cref="MatClockSettings.JumpConfirmLabels"/> labels agree on it; 23:59:60 is a leap second; a local
    /// counter that runs backwards (a reboot under a surviving object, or a wrap without
    /// <see cref="MatClockSettings.CounterWrapMicros"/>) drops the clock back to Unsynced.
    /// </para>
    /// </remarks>
    public sealed class MatClock : IMatTimeSource
    {
        // Two stamps closer than this are one edge seen twice (a bouncing line), not two seconds.
        private const long MinEdgeSpacingMicros = 500000;

        private const long Micros = UtcCalendar.MicrosPerSecond;

        // The UART is read in chunks of this many bytes (the size of _buffer).
        private const int ReadChunk = 64;

        private readonly IMicrosecondClock _clock;
        private readonly IBytePort _gps;
        private readonly IPpsSource _pps;
        private readonly byte[] _buffer = new byte[ReadChunk];
        private readonly NmeaParser _nmea;

        // The parts of the clock, allocated here once: each holds one group of its state (see its type).
        private readonly PendingEdge _pending;
        private readonly ClockDiscipline _discipline;
        private readonly GpsStreamHealth _streams = new GpsStreamHealth();

        // Settings read by every poll and conversion, taken once (a property is a call on the device).
        private readonly long _latencyFloor;
        private readonly long _labelWindowStart;
        private readonly long _labelWindowEnd;
        private readonly long _holdoverAfter;
        private readonly long _wrap;

        // Local counter: raw readings extended across wraps.
        private bool _started;
        private long _lastRawNow;
        private long _now;
        private long _wrapBase;

        // The fit's second half waits for the next poll.
        private bool _fitPending;

        /// <summary><see cref="FittedThisPoll"/>, as a field the unit's poll reads (a property is a call on the device).</summary>
        internal bool fittedThisPoll;

        // Edges refused on arrival (doubled, or from another timebase); the discipline counts those refused at commit.
        private int _edgesRefused;

        /// <summary>Initializes a new instance of the <see cref="MatClock"/> class with the default settings.</summary>
        /// <param name="clock">The unit's local µs counter (the timebase of every stamp in the core).</param>
        /// <param name="gps">The GPS module's UART, opened by the caller.</param>
        /// <param name="pps">The GPS PPS edges, stamped on <paramref name="clock"/>.</param>
        public MatClock(IMicrosecondClock clock, IBytePort gps, IPpsSource pps)
            : this(clock, gps, pps, new MatClockSettings())
        {
        }

        /// <summary>Initializes a new instance of the <see cref="MatClock"/> class.</summary>
        /// <param name="clock">The unit's local µs counter (the timebase of every stamp in the core).</param>
        /// <param name="gps">The GPS module's UART, opened by the caller.</param>
        /// <param name="pps">The GPS PPS edges, stamped on <paramref name="clock"/>.</param>
        /// <param name="settings">Tunables; read once here.</param>
        public MatClock(IMicrosecondClock clock, IBytePort gps, IPpsSource pps, MatClockSettings settings)
        {
            if (clock == null)
            {
                throw new System.ArgumentNullException("clock");
            }

            if (gps == null)
            {
                throw new System.ArgumentNullException("gps");
            }

            if (pps == null)
            {
                throw new System.ArgumentNullException("pps");
            }

            if (settings == null)
            {
                throw new System.ArgumentNullException("settings");
            }

            settings.Check(MinEdgeSpacingMicros);
            _clock = clock;
            _gps = gps;
            _pps = pps;
            _latencyFloor = settings.PpsLatencyFloorMicros;
            _labelWindowStart = settings.LabelWindowStartMicros;
            _labelWindowEnd = settings.LabelWindowEndMicros;
            _holdoverAfter = settings.HoldoverAfterMicros;
            _wrap = settings.CounterWrapMicros;
            _pending = new PendingEdge(settings.MinYear);
            _discipline = new ClockDiscipline(settings, _pending);
            _nmea = new NmeaParser();
            Satellites = NmeaSentence.NotGiven;
        }

        /// <summary>Gets the clock's state now.</summary>
        public ClockState State
        {
            get { return _discipline.State; }
        }

        /// <summary>Gets the NMEA parser with its counts of accepted and rejected lines.</summary>
        public NmeaParser Nmea
        {
            get { return _nmea; }
        }

        /// <summary>Gets the PPS edges taken from the source.</summary>
        public int EdgesSeen { get; private set; }

        /// <summary>Gets the edges used by the fit.</summary>
        public int EdgesCommitted
        {
            get { return _discipline.EdgesCommitted; }
        }

        /// <summary>Gets the edges refused: not a whole number of seconds after the last, doubled, out of order, or early glitches.</summary>
        public int EdgesRejected
        {
            get { return _edgesRefused + _discipline.EdgesRejected; }
        }

        /// <summary>Gets the edges not used because no NMEA sentence confirmed a fix for them (or one reported no fix).</summary>
        public int EdgesUnconfirmed
        {
            get { return _discipline.EdgesUnconfirmed; }
        }

        /// <summary>Gets the labels that agreed with a locked clock's numbering.</summary>
        public int LabelsAgreed
        {
            get { return _discipline.Labels.Agreed; }
        }

        /// <summary>Gets the labels that disagreed with a locked clock (one-offs are ignored; repeated ones are a jump).</summary>
        public int LabelMismatches
        {
            get { return _discipline.Labels.Mismatches; }
        }

        /// <summary>Gets the timed sentences that arrived outside the label window of any edge (no PPS, or a late burst).</summary>
        public int LabelsOutsideWindow { get; private set; }

        /// <summary>Gets the GPS time jumps accepted while locked.</summary>
        public int TimeJumps
        {
            get { return _discipline.Labels.TimeJumps; }
        }

        /// <summary>Gets the size of the last accepted jump in seconds (positive: the GPS moved forward).</summary>
        public long LastJumpSeconds
        {
            get { return _discipline.Labels.LastJumpSeconds; }
        }

        /// <summary>Gets how often the local counter ran backwards and the clock started over.</summary>
        public int TimebaseResets { get; private set; }

        /// <summary>Gets how often the clock locked (from cold and after each holdover).</summary>
        public int LockCount
        {
            get { return _discipline.LockCount; }
        }

        /// <summary>Gets how often the clock went into holdover.</summary>
        public int HoldoverCount
        {
            get { return _discipline.HoldoverCount; }
        }

        /// <summary>Gets the inserted leap seconds seen (23:59:60 labels).</summary>
        public int LeapSeconds
        {
            get { return _discipline.Labels.LeapSeconds; }
        }

        /// <summary>Gets the local µs of the last edge the fit used.</summary>
        public long LastEdgeLocalMicros
        {
            get { return _discipline.LastEdgeLocalMicros; }
        }

        /// <summary>Gets the second of the last edge the fit used: UTC seconds since 1970 when locked, a relative count before.</summary>
        public long LastEdgeSecond
        {
            get { return _discipline.LastEdgeSecond; }
        }

        /// <summary>Gets the crystal's frequency error in parts per billion from the published line (0 before the first lock).</summary>
        public long FrequencyErrorPpb
        {
            get { return _discipline.HasModel ? _discipline.Model.Line.FrequencyErrorPpb : 0; }
        }

        /// <summary>Gets the satellites in use from the last GGA, or <see cref="NmeaSentence.NotGiven"/>.</summary>
        public int Satellites { get; private set; }

        /// <summary>Gets a value indicating whether the last RMC or GGA reported a fix.</summary>
        public bool GpsFix { get; private set; }

        /// <summary>Gets a value indicating whether the GPS reports a fix but no PPS edge arrives (check the PPS wire).</summary>
        public bool PpsMissing
        {
            get { return _streams.PpsMissing(_now); }
        }

        /// <summary>Gets a value indicating whether PPS edges arrive but no NMEA does (check the GPS TX wire and baud rate).</summary>
        public bool NmeaMissing
        {
            get { return _streams.NmeaMissing(_now); }
        }

        /// <summary>
        /// Starts from a frequency measured before a reboot (saved on flash by the unit): until the window is long enough
        /// to measure the slope by itself, the fit keeps it within <paramref name="tolerancePpb"/> of
        /// <paramref name="ppb"/>, so the clock locks after <see cref="MatClockSettings.RelockEdges"/> edges as after a
        /// holdover instead of <see cref="MatClockSettings.LockEdges"/>. Call before the first <see cref="Poll()"/>.
        /// </summary>
        /// <param name="ppb">The crystal's frequency error, ppb (<see cref="FrequencyErrorPpb"/> of the earlier boot).</param>
        /// <param name="tolerancePpb">How far the crystal may have moved since (temperature), ppb.</param>
        public void RestoreFrequency(long ppb, long tolerancePpb)
        {
            if (_discipline.HasModel || FixedPoint.Abs(ppb) > ClockDiscipline.PlausibleDriftPpb || tolerancePpb <= 0)
            {
                return;
            }

            _discipline.Prior.Restore(ppb, tolerancePpb);
        }

        /// <summary>Takes the PPS edges and NMEA bytes that arrived since the last poll and updates the state.</summary>
        /// <remarks>Call at least every 50 ms: a sentence is timed by the poll that completes it.</remarks>
        public void Poll()
        {
            Poll(_clock.GetMicroseconds());
        }

        /// <summary>The same with the local counter already read by the caller (the unit reads it once for the clock and the detector).</summary>
        /// <param name="raw">The local µs counter now, read from this clock's timebase.</param>
        internal void Poll(long raw)
        {
            long now;
            if (_started && raw >= _lastRawNow)
            {
                // The counter ran on (every poll but a wrap or a restart).
                _lastRawNow = raw;
                now = _wrapBase + raw;
                _now = now;
            }
            else
            {
                now = ExtendNow(raw);
            }

            fittedThisPoll = false;
            if (_fitPending)
            {
                // The edge committed in the last poll: its fit's second half, then the model.
                _fitPending = false;
                fittedThisPoll = true;
                _discipline.FinishFit();
            }

            long edge;
            while (_pps.TryTakeEdge(out edge))
            {
                OnEdge(Extend(edge) - _latencyFloor, now);
            }

            byte[] buffer = _buffer;
            NmeaParser nmea = _nmea;
            int n;
            while ((n = _gps.Read(buffer, 0, ReadChunk)) > 0)
            {
                int at = 0;
                while (at < n)
                {
                    if (nmea.Push(buffer, ref at, n) == NmeaLineResult.Accepted)
                    {
                        OnSentence(now);
                    }
                }

                if (n < ReadChunk)
                {
                    // Fewer bytes than asked for: the port is drained; what comes meanwhile waits for the next poll.
                    break;
                }
            }

            // Times first: an edge is pending 90 % of the time, and a locked clock almost always, so the time tests
            // are what usually ends each check.
            PendingEdge pending = _pending;
            if (now - pending.Local > _labelWindowEnd && pending.Active)
            {
                Commit();
            }

            ClockDiscipline discipline = _discipline;
            if (now - discipline.LastCommittedLocal > _holdoverAfter && discipline.State == ClockState.Locked)
            {
                discipline.EnterHoldover();
            }
        }

        /// <summary>Gets a value indicating whether the last <see cref="Poll()"/> ran half of a clock fit (~10k IL instructions on the interpreter).</summary>
        public bool FittedThisPoll
        {
            get { return fittedThisPoll; }
        }

        /// <summary>Gives the mat time of the local counter now.</summary>
        /// <returns>The time with its state and uncertainty.</returns>
        public MatTime Now()
        {
            return ToMatTime(_clock.GetMicroseconds());
        }

        /// <inheritdoc />
        public MatTime ToMatTime(long localMicros)
        {
            ClockDiscipline discipline = _discipline;
            if (!discipline.HasModel || !_started)
            {
                return new MatTime(localMicros, ClockState.Unsynced, MatTime.UnknownUncertainty);
            }

            long local = Extend(localMicros);
            ClockModel model = discipline.Model;
            long timeline = model.Line.TimelineMicrosAt(local);
            long uncertainty = model.UncertaintyAt(local);
            SecondLabels labels = discipline.Labels;
            if (!labels.LeapKnown && timeline >= 0)
            {
                long second = timeline / Micros;
                if (second > labels.LastAgreedSecond && second % UtcCalendar.SecondsPerDay == 0
                    && UtcCalendar.MayFollowLeapSecond(second / UtcCalendar.SecondsPerDay))
                {
                    // Midnight starting 1 January or 1 July before its label came: it may yet be 23:59:60.
                    uncertainty += Micros;
                }
            }

            if (labels.LeapKnown)
            {
                long leapStart = labels.LeapIndex * Micros;
                if (timeline >= leapStart + Micros)
                {
                    timeline -= Micros;
                }
                else if (timeline >= leapStart)
                {
                    // 23:59:60 has no POSIX µs: hold the last µs of 23:59:59 and say so in the uncertainty.
                    timeline = leapStart - 1;
                    uncertainty += Micros;
                }
            }

            return new MatTime(timeline, discipline.StateAt(local), uncertainty);
        }

        private long ExtendNow(long raw)
        {
            if (_started && raw < _lastRawNow)
            {
                long wrap = _wrap;
                if (wrap > 0 && _lastRawNow - raw > wrap / 2)
                {
                    _wrapBase += wrap;
                }
                else
                {
                    // The counter restarted (a reboot under a surviving object, or an unconfigured wrap): nothing measured still holds.
                    ResetTimebase();
                }
            }

            _started = true;
            _lastRawNow = raw;
            _now = _wrapBase + raw;
            return _now;
        }

        private long Extend(long raw)
        {
            long value = _wrapBase + raw;
            long wrap = _wrap;
            if (wrap > 0 && _started)
            {
                if (value - _now > wrap / 2)
                {
                    value -= wrap;
                }
                else if (_now - value > wrap / 2)
                {
                    value += wrap;
                }
            }

            return value;
        }

        private void ResetTimebase()
        {
            TimebaseResets++;
            _wrapBase = 0;
            _pending.Active = false;
            _streams.Clear();
            _fitPending = false;
            _discipline.Reset();
        }

        private void OnEdge(long local, long now)
        {
            EdgesSeen++;
            _streams.EdgeSeen = true;
            _streams.LastEdgeLocal = local;
            PendingEdge pending = _pending;
            if (pending.Active)
            {
                if (local - pending.Local < MinEdgeSpacingMicros)
                {
                    // Two stamps in one second: a locked clock keeps the one the line expects (a spike on the wire
                    // comes before the real edge); otherwise the first one stays.
                    _edgesRefused++;
                    if (_discipline.EarlierThanExpected(pending.Local) && !_discipline.EarlierThanExpected(local))
                    {
                        pending.Local = local;
                    }

                    return;
                }

                Commit();
            }

            pending.Open(local);
            if (local > now + Micros)
            {
                // The handler may stamp an edge just after this poll read the counter, but not a second later:
                // such a stamp comes from another timebase.
                pending.Active = false;
                _edgesRefused++;
            }
        }

        // Commits the pending edge; the last edge's fit finishes first if it still waits (two edges in one poll).
        private void Commit()
        {
            ClockDiscipline discipline = _discipline;
            if (_fitPending)
            {
                _fitPending = false;
                fittedThisPoll = true;
                discipline.FinishFit();
            }

            if (discipline.Commit())
            {
                // The line is solved; the spacing and the model wait for the next poll.
                _fitPending = true;
                fittedThisPoll = true;
            }
        }

        private void OnSentence(long now)
        {
            NmeaSentence s = _nmea.Sentence;
            GpsStreamHealth streams = _streams;
            streams.SentenceSeen = true;
            streams.LastSentenceLocal = now;
            if (s.CarriesFix)
            {
                // Read once: HasFix is worked out from the sentence's fields at each call.
                bool fix = s.HasFix;
                GpsFix = fix;
                if (fix)
                {
                    streams.FixSentenceSeen = true;
                    streams.LastFixSentenceLocal = now;
                }
            }

            if (s.Type == NmeaSentenceType.Gga)
            {
                Satellites = s.Satellites;
            }

            long since = now - _pending.Local;
            if (!_pending.Active || since < _labelWindowStart || since > _labelWindowEnd)
            {
                if (s.HasTime)
                {
                    LabelsOutsideWindow++;
                }

                return;
            }

            _pending.Label(s);
        }
    }
}
