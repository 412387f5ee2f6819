using TimingMat.Core.Clock.Nmea;
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

        // An edge this much earlier than the locked line predicts (beyond its uncertainty) is a glitch: handlers are never early.
        private const long EarlyEdgeMarginMicros = 2000;

        // A new chain after a gap keeps the old numbering only while the clock is this sure of the second.
        private const long RenumberLimitMicros = 300000;

        // How long a missing PPS or NMEA stream is tolerated before the matching warning is raised.
        private const long StreamSilenceMicros = 3000000;

        // Frequency errors beyond this are not a crystal: the fit is too young to be used for edge spacing.
        private const long PlausibleDriftPpb = 200000;

        private const long Micros = UtcCalendar.MicrosPerSecond;

        // Uncertainty terms in units of the fit's spacing of quick handler runs (see Publish).
        private const long OffsetDoubtSpacings = 4;
        private const long SlopeDoubtPerSpacing = 20;

        private readonly IMicrosecondClock _clock;
        private readonly IBytePort _gps;
        private readonly IPpsSource _pps;
        private readonly MatClockSettings _settings;
        private readonly byte[] _buffer = new byte[64];
        private readonly LowerEnvelopeFit _fit;
        private readonly ClockLine _model = new ClockLine();
        private readonly ClockLine _heldModel = new ClockLine();

        // Settings read by every poll and conversion, taken once (a property is a call on the device).
        private readonly long _latencyFloor;
        private readonly long _labelWindowStart;
        private readonly long _labelWindowEnd;
        private readonly long _holdoverAfter;
        private readonly long _wrap;
        private readonly long _baseUncertainty;
        private readonly long _holdoverDrift;
        private ClockState _state;
        private readonly NmeaParser _nmea;

        // Local counter: raw readings extended across wraps.
        private bool _started;
        private long _lastRawNow;
        private long _now;
        private long _wrapBase;

        // The published model (what ToMatTime uses) and its uncertainty terms.
        private bool _hasModel;
        private bool _fitPending;
        private bool _fittedThisPoll;
        private long _modelFirstLocal;
        private long _modelLastLocal;
        private long _modelMidLocal;
        private long _modelSpacing;
        private long _modelSigmaPpb;

        // The frequency known before a holdover, bounding the slope of the young window after it.
        private bool _priorActive;
        private long _priorPpb;
        private long _priorTolerancePpb;
        private long _lockedSinceLocal;
        private long _holdoverSinceLocal;
        private long _heldFirstLocal;
        private long _heldLastLocal;
        private long _heldMidLocal;
        private long _heldSpacing;
        private long _heldSigmaPpb;

        // The edge waiting for its NMEA burst.
        private bool _pendingActive;
        private long _pendingLocal;
        private bool _pendingFix;
        private bool _pendingNoFix;
        private bool _pendingConflict;
        private bool _pendingHasTime;
        private int _pendingSecondOfDay;
        private bool _pendingHasDate;
        private long _pendingDay;

        // The chain of whole-second edges and its numbering.
        private bool _chainActive;
        private long _chainLastLocal;
        private long _chainLastIndex;
        private bool _indexIsTimeline;
        private int _rejectStreak;
        private bool _hasConfirmed;
        private long _lastConfirmedLocal;
        private long _lastCommittedLocal;

        // Votes on the numbering: towards a lock, and for a jump while locked.
        private long _voteOffset;
        private int _votes;
        private long _jumpOffset;
        private int _jumpVotes;
        private long _lastAgreedSecond;

        // An inserted leap second on the timeline (seconds after it are one more than their POSIX label).
        private bool _leapKnown;
        private long _leapIndex;
        private long _leapPosix;

        // Stream health.
        private bool _edgeSeen;
        private long _lastEdgeSeenLocal;
        private bool _sentenceSeen;
        private long _lastSentenceLocal;
        private bool _fixSentenceSeen;
        private long _lastFixSentenceLocal;

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

            if (settings.WindowEdges < 8 || settings.LockEdges < 3 || settings.LockEdges > settings.WindowEdges
                || settings.RelockEdges < 3 || settings.RelockEdges > settings.WindowEdges
                || settings.LockLabels < 1 || settings.JumpConfirmLabels < 1
                || settings.LabelWindowStartMicros < 0 || settings.LabelWindowEndMicros <= settings.LabelWindowStartMicros
                || settings.LabelWindowEndMicros >= Micros || settings.EdgeToleranceMicros <= 0
                || settings.EdgeToleranceMicros >= MinEdgeSpacingMicros || settings.HoldoverAfterMicros <= Micros
                || settings.WindowRestartGapMicros < settings.HoldoverAfterMicros || settings.CounterWrapMicros < 0
                || settings.HoldoverDriftPpb < 0 || settings.BaseUncertaintyMicros < 0)
            {
                throw new System.ArgumentException("inconsistent MatClockSettings");
            }

            _clock = clock;
            _gps = gps;
            _pps = pps;
            _settings = settings;
            _latencyFloor = settings.PpsLatencyFloorMicros;
            _labelWindowStart = settings.LabelWindowStartMicros;
            _labelWindowEnd = settings.LabelWindowEndMicros;
            _holdoverAfter = settings.HoldoverAfterMicros;
            _wrap = settings.CounterWrapMicros;
            _baseUncertainty = settings.BaseUncertaintyMicros;
            _holdoverDrift = settings.HoldoverDriftPpb;
            _fit = new LowerEnvelopeFit(settings.WindowEdges);
            _nmea = new NmeaParser();
            Satellites = NmeaSentence.NotGiven;
        }

        /// <summary>Gets the clock's state now.</summary>
        public ClockState State
        {
            get { return _state; }
        }

        /// <summary>Gets the NMEA parser with its counts of accepted and rejected lines.</summary>
        public NmeaParser Nmea
        {
            get { return _nmea; }
        }

        /// <summary>Gets the PPS edges taken from the source.</summary>
        public int EdgesSeen { get; private set; }

        /// <summary>Gets the edges used by the fit.</summary>
        public int EdgesCommitted { get; private set; }

        /// <summary>Gets the edges refused: not a whole number of seconds after the last, doubled, out of order, or early glitches.</summary>
        public int EdgesRejected { get; private set; }

        /// <summary>Gets the edges not used because no NMEA sentence confirmed a fix for them (or one reported no fix).</summary>
        public int EdgesUnconfirmed { get; private set; }

        /// <summary>Gets the labels that agreed with a locked clock's numbering.</summary>
        public int LabelsAgreed { get; private set; }

        /// <summary>Gets the labels that disagreed with a locked clock (one-offs are ignored; repeated ones are a jump).</summary>
        public int LabelMismatches { get; private set; }

        /// <summary>Gets the timed sentences that arrived outside the label window of any edge (no PPS, or a late burst).</summary>
        public int LabelsOutsideWindow { get; private set; }

        /// <summary>Gets the GPS time jumps accepted while locked.</summary>
        public int TimeJumps { get; private set; }

        /// <summary>Gets the size of the last accepted jump in seconds (positive: the GPS moved forward).</summary>
        public long LastJumpSeconds { get; private set; }

        /// <summary>Gets how often the local counter ran backwards and the clock started over.</summary>
        public int TimebaseResets { get; private set; }

        /// <summary>Gets how often the clock locked (from cold and after each holdover).</summary>
        public int LockCount { get; private set; }

        /// <summary>Gets how often the clock went into holdover.</summary>
        public int HoldoverCount { get; private set; }

        /// <summary>Gets the inserted leap seconds seen (23:59:60 labels).</summary>
        public int LeapSeconds { get; private set; }

        /// <summary>Gets the local µs of the last edge the fit used.</summary>
        public long LastEdgeLocalMicros { get; private set; }

        /// <summary>Gets the second of the last edge the fit used: UTC seconds since 1970 when locked, a relative count before.</summary>
        public long LastEdgeSecond { get; private set; }

        /// <summary>Gets the crystal's frequency error in parts per billion from the published line (0 before the first lock).</summary>
        public long FrequencyErrorPpb
        {
            get { return _hasModel ? _model.FrequencyErrorPpb : 0; }
        }

        /// <summary>Gets the satellites in use from the last GGA, or <see cref="NmeaSentence.NotGiven"/>.</summary>
        public int Satellites { get; private set; }

        /// <summary>Gets a value indicating whether the last RMC or GGA reported a fix.</summary>
        public bool GpsFix { get; private set; }

        /// <summary>Gets a value indicating whether the GPS reports a fix but no PPS edge arrives (check the PPS wire).</summary>
        public bool PpsMissing
        {
            get
            {
                return _fixSentenceSeen && _now - _lastFixSentenceLocal <= StreamSilenceMicros
                    && (!_edgeSeen || _now - _lastEdgeSeenLocal > StreamSilenceMicros);
            }
        }

        /// <summary>Gets a value indicating whether PPS edges arrive but no NMEA does (check the GPS TX wire and baud rate).</summary>
        public bool NmeaMissing
        {
            get
            {
                return _edgeSeen && _now - _lastEdgeSeenLocal <= StreamSilenceMicros
                    && (!_sentenceSeen || _now - _lastSentenceLocal > StreamSilenceMicros);
            }
        }

        /// <summary>
        /// Starts from a frequency measured before a reboot (saved on flash by the unit): until the window is long enough
        /// to measure the slope by itself, the fit keeps it within <paramref name="tolerancePpb"/> of
        /// <paramref name="ppb"/>, so the clock locks after <see cref="MatClockSettings.RelockEdges"/> edges as after a
        /// holdover instead of <see cref="MatClockSettings.LockEdges"/>. Call before the first <see cref="Poll"/>.
        /// </summary>
        /// <param name="ppb">The crystal's frequency error, ppb (<see cref="FrequencyErrorPpb"/> of the earlier boot).</param>
        /// <param name="tolerancePpb">How far the crystal may have moved since (temperature), ppb.</param>
        public void RestoreFrequency(long ppb, long tolerancePpb)
        {
            if (_hasModel || FixedPoint.Abs(ppb) > PlausibleDriftPpb || tolerancePpb <= 0)
            {
                return;
            }

            _priorActive = true;
            _priorPpb = ppb;
            _priorTolerancePpb = tolerancePpb;
        }

        /// <summary>Takes the PPS edges and NMEA bytes that arrived since the last poll and updates the state.</summary>
        /// <remarks>Call at least every 50 ms: a sentence is timed by the poll that completes it.</remarks>
        public void Poll()
        {
            long raw = _clock.GetMicroseconds();
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

            _fittedThisPoll = false;
            if (_fitPending)
            {
                // The edge committed in the last poll: its fit's second half, then the model.
                FinishFit();
            }

            long edge;
            while (_pps.TryTakeEdge(out edge))
            {
                OnEdge(Extend(edge) - _latencyFloor, now);
            }

            byte[] buffer = _buffer;
            NmeaParser nmea = _nmea;
            int n;
            while ((n = _gps.Read(buffer, 0, buffer.Length)) > 0)
            {
                int at = 0;
                while (at < n)
                {
                    if (nmea.Push(buffer, ref at, n) == NmeaLineResult.Accepted)
                    {
                        OnSentence(now);
                    }
                }

                if (n < buffer.Length)
                {
                    // Fewer bytes than asked for: the port is drained; what comes meanwhile waits for the next poll.
                    break;
                }
            }

            if (_pendingActive && now - _pendingLocal > _labelWindowEnd)
            {
                Commit();
            }

            if (_state == ClockState.Locked && now - _lastCommittedLocal > _holdoverAfter)
            {
                EnterHoldover();
            }
        }

        /// <summary>Gets a value indicating whether the last <see cref="Poll"/> ran half of a clock fit (~10k IL instructions on the interpreter).</summary>
        public bool FittedThisPoll
        {
            get { return _fittedThisPoll; }
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
            if (!_hasModel || !_started)
            {
                return new MatTime(localMicros, ClockState.Unsynced, MatTime.UnknownUncertainty);
            }

            long local = Extend(localMicros);
            long timeline = _model.TimelineMicrosAt(local);
            long uncertainty = UncertaintyAt(local);
            if (!_leapKnown && timeline >= 0)
            {
                long second = timeline / Micros;
                if (second > _lastAgreedSecond && second % UtcCalendar.SecondsPerDay == 0
                    && UtcCalendar.MayFollowLeapSecond(second / UtcCalendar.SecondsPerDay))
                {
                    // Midnight starting 1 January or 1 July before its label came: it may yet be 23:59:60.
                    uncertainty += Micros;
                }
            }

            if (_leapKnown)
            {
                long leapStart = _leapIndex * Micros;
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

            return new MatTime(timeline, StateAt(local), uncertainty);
        }

        private static bool SameOrFirst(bool has, long held, long value)
        {
            return !has || held == value;
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
            _hasModel = false;
            _pendingActive = false;
            _chainActive = false;
            _indexIsTimeline = false;
            _hasConfirmed = false;
            _votes = 0;
            _jumpVotes = 0;
            _leapKnown = false;
            _priorActive = false;
            _lastAgreedSecond = 0;
            _lockedSinceLocal = 0;
            _edgeSeen = false;
            _sentenceSeen = false;
            _fixSentenceSeen = false;
            _fit.Clear();
            _fitPending = false;
            _state = ClockState.Unsynced;
        }

        private void OnEdge(long local, long now)
        {
            EdgesSeen++;
            _edgeSeen = true;
            _lastEdgeSeenLocal = local;
            if (_pendingActive)
            {
                if (local - _pendingLocal < MinEdgeSpacingMicros)
                {
                    // Two stamps in one second: a locked clock keeps the one the line expects (a spike on the wire
                    // comes before the real edge); otherwise the first one stays.
                    EdgesRejected++;
                    if (EarlierThanExpected(_pendingLocal) && !EarlierThanExpected(local))
                    {
                        _pendingLocal = local;
                    }

                    return;
                }

                Commit();
            }

            _pendingActive = true;
            _pendingLocal = local;
            _pendingFix = false;
            _pendingNoFix = false;
            _pendingConflict = false;
            _pendingHasTime = false;
            _pendingHasDate = false;
            if (local > now + Micros)
            {
                // The handler may stamp an edge just after this poll read the counter, but not a second later:
                // such a stamp comes from another timebase.
                _pendingActive = false;
                EdgesRejected++;
            }
        }

        private void OnSentence(long now)
        {
            NmeaSentence s = _nmea.Sentence;
            _sentenceSeen = true;
            _lastSentenceLocal = now;
            if (s.CarriesFix)
            {
                GpsFix = s.HasFix;
                if (s.HasFix)
                {
                    _fixSentenceSeen = true;
                    _lastFixSentenceLocal = now;
                }
            }

            if (s.Type == NmeaSentenceType.Gga)
            {
                Satellites = s.Satellites;
            }

            long since = now - _pendingLocal;
            if (!_pendingActive || since < _labelWindowStart || since > _labelWindowEnd)
            {
                if (s.HasTime)
                {
                    LabelsOutsideWindow++;
                }

                return;
            }

            if (s.CarriesFix)
            {
                if (s.HasFix)
                {
                    _pendingFix = true;
                }
                else
                {
                    _pendingNoFix = true;
                }
            }

            // Only hhmmss.00 names the PPS second; receivers at 5 Hz also print .20, .40 … which do not.
            if (!s.HasTime || s.SubsecondMicros != 0)
            {
                return;
            }

            int secondOfDay = s.SecondOfDay;
            if (!SameOrFirst(_pendingHasTime, _pendingSecondOfDay, secondOfDay))
            {
                _pendingConflict = true;
            }

            _pendingHasTime = true;
            _pendingSecondOfDay = secondOfDay;
            if (s.HasDate && s.Year >= _settings.MinYear)
            {
                long day = s.DayNumber;
                if (!SameOrFirst(_pendingHasDate, _pendingDay, day))
                {
                    _pendingConflict = true;
                }

                _pendingHasDate = true;
                _pendingDay = day;
            }
        }

        private void Commit()
        {
            if (_fitPending)
            {
                FinishFit();
            }

            _pendingActive = false;
            long local = _pendingLocal;
            if (_pendingNoFix)
            {
                // The burst says the receiver has no fix: its PPS (if any) free-runs and must not steer the clock.
                EdgesUnconfirmed++;
                return;
            }

            bool confirmed = _pendingFix;
            if (!confirmed && !(_state == ClockState.Locked && _hasConfirmed && local - _lastConfirmedLocal <= _settings.UnconfirmedBridgeMicros))
            {
                EdgesUnconfirmed++;
                return;
            }

            long index = 0;
            bool restart = !_chainActive || local - _chainLastLocal > _settings.WindowRestartGapMicros;
            if (!restart)
            {
                long gap = local - _chainLastLocal;
                long perSecond = Micros + (SpacingDriftPpb() / 1000);
                long seconds = FixedPoint.DivRound(gap, perSecond);
                if (gap <= 0 || seconds < 1)
                {
                    EdgesRejected++;
                    return;
                }

                if (FixedPoint.Abs(gap - (seconds * perSecond)) > _settings.EdgeToleranceMicros)
                {
                    EdgesRejected++;
                    _rejectStreak++;
                    if (_rejectStreak < 3)
                    {
                        return;
                    }

                    // Three misfits in a row: the previous edge was the odd one; start a new chain here.
                    restart = true;
                }
                else
                {
                    index = _chainLastIndex + seconds;
                    if (EarlierThanExpected(local))
                    {
                        EdgesRejected++;
                        return;
                    }
                }
            }

            if (restart)
            {
                index = StartChain(local);
            }

            _chainActive = true;
            _chainLastLocal = local;
            _chainLastIndex = index;
            _rejectStreak = 0;
            _lastCommittedLocal = local;
            if (confirmed)
            {
                _hasConfirmed = true;
                _lastConfirmedLocal = local;
            }

            _fit.Add(index, local);
            EdgesCommitted++;
            LastEdgeLocalMicros = local;
            LastEdgeSecond = index;
            if (confirmed && !_pendingConflict)
            {
                ApplyLabel(index);
            }

            if (_leapKnown && _state == ClockState.Locked && _fit.FirstSecond > _leapIndex + 1)
            {
                // Every stamp in the window is past the leap second: count seconds as POSIX again.
                _leapKnown = false;
                Renumber(-1);
            }

            // The line now, the spacing and the model at the next poll (or the next commit): the whole fit in one
            // poll is ~21k IL instructions on the interpreter, ~8 ms, every second.
            if (SolveLine())
            {
                _fitPending = true;
                _fittedThisPoll = true;
            }
        }

        private void FinishFit()
        {
            _fitPending = false;
            _fittedThisPoll = true;
            _fit.FinishSpacing();
            if (_state == ClockState.Locked)
            {
                Publish();
            }
            else
            {
                TryLock();
            }
        }

        private bool EarlierThanExpected(long local)
        {
            if (_state != ClockState.Locked || !_chainActive || local <= _chainLastLocal)
            {
                return false;
            }

            long perSecond = Micros + (SpacingDriftPpb() / 1000);
            long index = _chainLastIndex + FixedPoint.DivRound(local - _chainLastLocal, perSecond);
            return local < _model.LocalAt(index) - UncertaintyAt(local) - EarlyEdgeMarginMicros;
        }

        private long StartChain(long local)
        {
            _fit.Clear();
            _votes = 0;
            _jumpVotes = 0;
            if (_state == ClockState.Locked)
            {
                // The window is gone, so the line is no longer being checked: run on it as holdover until relocked.
                EnterHoldover();
            }

            if (_hasModel && _indexIsTimeline && UncertaintyAt(local) < RenumberLimitMicros)
            {
                return FixedPoint.DivRound(_model.TimelineMicrosAt(local), Micros);
            }

            _indexIsTimeline = false;
            _leapKnown = false;
            return 0;
        }

        private void ApplyLabel(long index)
        {
            if (!_pendingHasTime)
            {
                return;
            }

            bool leapLabel = _pendingSecondOfDay == UtcCalendar.SecondsPerDay;
            long posix;
            if (_pendingHasDate)
            {
                posix = (_pendingDay * UtcCalendar.SecondsPerDay) + _pendingSecondOfDay;
            }
            else if (_indexIsTimeline)
            {
                // A time of day alone (GGA) names the second nearest to what the numbering expects.
                long expected = index - (_leapKnown && index > _leapIndex ? 1 : 0);
                long diff = (_pendingSecondOfDay % UtcCalendar.SecondsPerDay) - (expected % UtcCalendar.SecondsPerDay);
                if (diff >= UtcCalendar.SecondsPerDay / 2)
                {
                    diff -= UtcCalendar.SecondsPerDay;
                }
                else if (diff < -UtcCalendar.SecondsPerDay / 2)
                {
                    diff += UtcCalendar.SecondsPerDay;
                }

                posix = expected + diff;
            }
            else
            {
                return;
            }

            long timeline = posix;
            if (_leapKnown && !leapLabel && posix >= _leapPosix)
            {
                timeline++;
            }

            long offset = timeline - index;
            if (_state != ClockState.Locked)
            {
                if (leapLabel)
                {
                    // Locking across a leap second: let the labels after it settle the numbering.
                    return;
                }

                if (_votes > 0 && offset == _voteOffset)
                {
                    _votes++;
                }
                else
                {
                    _voteOffset = offset;
                    _votes = 1;
                }

                return;
            }

            if (offset == 0)
            {
                LabelsAgreed++;
                _lastAgreedSecond = index;
                _jumpVotes = 0;
                if (leapLabel && !_leapKnown)
                {
                    _leapKnown = true;
                    _leapIndex = index;
                    _leapPosix = posix;
                    LeapSeconds++;
                }

                return;
            }

            LabelMismatches++;
            if (_jumpVotes > 0 && offset == _jumpOffset)
            {
                _jumpVotes++;
            }
            else
            {
                _jumpOffset = offset;
                _jumpVotes = 1;
            }

            if (_jumpVotes >= _settings.JumpConfirmLabels)
            {
                Renumber(offset);
                TimeJumps++;
                LastJumpSeconds = offset;
                _jumpVotes = 0;
            }
        }

        private bool SolveLine()
        {
            if (_priorActive && _fit.LastSecond - _fit.FirstSecond >= _settings.WindowEdges / 2)
            {
                // The window now spans enough seconds to measure the frequency by itself.
                _priorActive = false;
            }

            if (_priorActive)
            {
                return _fit.SolveLine(_priorPpb - _priorTolerancePpb, _priorPpb + _priorTolerancePpb);
            }

            return _fit.SolveLine();
        }

        private void TryLock()
        {
            int edges = _priorActive ? _settings.RelockEdges : _settings.LockEdges;
            if (_votes < _settings.LockLabels || _fit.Count < edges || _fit.LastSecond - _fit.FirstSecond <= 0)
            {
                return;
            }

            long offset = _voteOffset;
            Publish();
            if (UncertaintyAt(_fit.LastLocalMicros + Micros) > _settings.LockUncertaintyMicros)
            {
                if (_state == ClockState.Unsynced)
                {
                    _hasModel = false;
                }
                else
                {
                    // Still in holdover: the published line must stay the one from before the outage.
                    _model.CopyFrom(_heldModel);
                    RestoreHeldTerms();
                }

                return;
            }

            if (offset != 0)
            {
                Renumber(offset);
                _model.Renumber(offset);
            }

            _indexIsTimeline = true;
            _votes = 0;
            _jumpVotes = 0;
            _state = ClockState.Locked;
            LockCount++;
            _lockedSinceLocal = _fit.FirstLocalMicros;
        }

        private void Publish()
        {
            _model.CopyFrom(_fit.Line);
            _hasModel = true;
            _modelFirstLocal = _fit.FirstLocalMicros;
            _modelLastLocal = _fit.LastLocalMicros;
            _modelSpacing = _fit.SpacingMicros;
            long run = _fit.RunSeconds > 0 ? _fit.RunSeconds : 1;
            _modelMidLocal = _model.LocalAt(_fit.MiddleSecond);
            if (_fit.SlopeBounded)
            {
                // The slope came from the prior: it is as good as the prior's tolerance.
                _modelSigmaPpb = _priorTolerancePpb;
            }
            else
            {
                // The stamps that set the slope each sit some spacings above their edges. Calibrated on simulated
                // windows (heavy and uniform latency): about 1 % of stamps fall outside the bound at 20–30 stamps,
                // under 0.2 % from 128 on (none in the clock benchmark).
                _modelSigmaPpb = FixedPoint.DivRound(_modelSpacing * SlopeDoubtPerSpacing * 1000, run);
            }
        }

        private void EnterHoldover()
        {
            _state = ClockState.Holdover;
            HoldoverCount++;
            _holdoverSinceLocal = _modelLastLocal;
            _votes = 0;
            _jumpVotes = 0;
            _priorActive = true;
            _priorPpb = _model.FrequencyErrorPpb;
            _priorTolerancePpb = _holdoverDrift + _modelSigmaPpb;
            _heldModel.CopyFrom(_model);
            _heldFirstLocal = _modelFirstLocal;
            _heldLastLocal = _modelLastLocal;
            _heldMidLocal = _modelMidLocal;
            _heldSpacing = _modelSpacing;
            _heldSigmaPpb = _modelSigmaPpb;
        }

        private void RestoreHeldTerms()
        {
            _modelFirstLocal = _heldFirstLocal;
            _modelLastLocal = _heldLastLocal;
            _modelMidLocal = _heldMidLocal;
            _modelSpacing = _heldSpacing;
            _modelSigmaPpb = _heldSigmaPpb;
        }

        private void Renumber(long seconds)
        {
            _fit.Renumber(seconds);
            _lastAgreedSecond += seconds;
            _chainLastIndex += seconds;
            LastEdgeSecond += seconds;
            if (_state == ClockState.Locked)
            {
                _model.Renumber(seconds);
            }

            if (_leapKnown)
            {
                _leapIndex += seconds;
                _leapPosix += seconds;
            }
        }

        private long SpacingDriftPpb()
        {
            long ppb = 0;
            if (_fit.Count >= _settings.RelockEdges)
            {
                ppb = _fit.Line.FrequencyErrorPpb;
            }
            else if (_hasModel)
            {
                ppb = _model.FrequencyErrorPpb;
            }

            return FixedPoint.Abs(ppb) > PlausibleDriftPpb ? 0 : ppb;
        }

        private long UncertaintyAt(long local)
        {
            // Inside the window: how far the touching stamps may sit above the edges, plus the slope's doubt away
            // from the line's middle. Outside it: the crystal may also have moved (holdover drift).
            long outside = 0;
            if (local > _modelLastLocal)
            {
                outside = local - _modelLastLocal;
            }
            else if (local < _modelFirstLocal)
            {
                outside = _modelFirstLocal - local;
            }

            long fromMiddle = FixedPoint.Abs(local - _modelMidLocal);
            return _baseUncertainty + (OffsetDoubtSpacings * _modelSpacing)
                + FixedPoint.MulDiv(fromMiddle, _modelSigmaPpb, 1000000000)
                + FixedPoint.MulDiv(outside, _holdoverDrift, 1000000000);
        }

        private ClockState StateAt(long local)
        {
            if (local < _lockedSinceLocal - Micros)
            {
                // Taken before the clock locked: converted by extrapolating the line backwards.
                return ClockState.Holdover;
            }

            if (_state == ClockState.Holdover && local > _holdoverSinceLocal + (Micros * 3 / 2))
            {
                return ClockState.Holdover;
            }

            return ClockState.Locked;
        }
    }
}
