using TimingMat.Core.Clock;
using TimingMat.Core.Crossings;
using TimingMat.Core.Passings;
using TimingMat.Core.Reader;

namespace TimingMat.Core.RaceDay
{
    /// <summary>
    /// The race-day state of a mat unit and the commands that change it: test mode (reads counted and shown, nothing
    /// recorded) or timing mode (reads go to the crossing detector), the unit's role, the armed window and test-tag
    /// prefixes, and the markers for gun, wave starts and corral openings.
    /// </summary>
    /// <remarks>
    /// The reader driver delivers reads here rather than to the detector. A unit boots in test mode, as RACE RESULT
    /// decoders do, so warm-up reads are never recorded by accident. Markers travel through the detector's passing
    /// queue, so they share the journal's back-pressure and ordering with the passings.
    /// </remarks>
    public sealed class RaceDayControl : ITagReadSink
    {
        private readonly CrossingDetector _detector;
        private readonly PassingQualifier _qualifier;
        private readonly IMatTimeSource _time;
        private readonly Passing _marker = new Passing();

        /// <summary>Initializes a new instance of the <see cref="RaceDayControl"/> class, in test mode.</summary>
        /// <param name="role">The unit's role on the course.</param>
        /// <param name="detector">The crossing detector, whose sink is <paramref name="qualifier"/>.</param>
        /// <param name="qualifier">The qualifier between the detector and the journal (holds the window and test tags).</param>
        /// <param name="time">The mat clock.</param>
        public RaceDayControl(UnitRole role, CrossingDetector detector, PassingQualifier qualifier, IMatTimeSource time)
        {
            Role = role;
            _detector = detector;
            _qualifier = qualifier;
            _time = time;
            Mode = RaceDayMode.Test;
            Monitor = new ReadMonitor(qualifier.TestTags);
        }

        /// <summary>Gets the unit's role.</summary>
        public UnitRole Role { get; private set; }

        /// <summary>Gets the current mode.</summary>
        public RaceDayMode Mode { get; private set; }

        /// <summary>Gets the read counts shown to the technician (kept in both modes).</summary>
        public ReadMonitor Monitor { get; private set; }

        /// <summary>Gets the test-tag prefixes.</summary>
        public TestTagList TestTags
        {
            get { return _qualifier.TestTags; }
        }

        /// <summary>Gets the armed window.</summary>
        public ArmedWindow Window
        {
            get { return _qualifier.Window; }
        }

        /// <summary>Counts a read and, in timing mode, hands it to the crossing detector.</summary>
        /// <param name="read">The read.</param>
        public void OnTagRead(TagRead read)
        {
            Monitor.OnTagRead(read);
            if (Mode == RaceDayMode.Timing)
            {
                _detector.OnTagRead(read);
            }
        }

        /// <summary>Starts recording: reads become passings from now on.</summary>
        /// <returns><see cref="RaceDayResult.Accepted"/>.</returns>
        public RaceDayResult EnterTimingMode()
        {
            Mode = RaceDayMode.Timing;
            return RaceDayResult.Accepted;
        }

        /// <summary>Stops recording; crossings already open still close and are recorded at the next polls.</summary>
        /// <returns><see cref="RaceDayResult.Accepted"/>.</returns>
        public RaceDayResult EnterTestMode()
        {
            Mode = RaceDayMode.Test;
            return RaceDayResult.Accepted;
        }

        /// <summary>Arms the mat at a UTC time (the window opens).</summary>
        /// <param name="utcMicros">UTC µs since 1970.</param>
        /// <returns><see cref="RaceDayResult.Accepted"/>, or <see cref="RaceDayResult.Invalid"/> when it is not before the cut-off.</returns>
        public RaceDayResult ArmAt(long utcMicros)
        {
            return Window.SetOpening(utcMicros) ? RaceDayResult.Accepted : RaceDayResult.Invalid;
        }

        /// <summary>Arms the mat now.</summary>
        /// <param name="localMicros">The unit's local time now, in µs.</param>
        /// <returns><see cref="RaceDayResult.Accepted"/>; <see cref="RaceDayResult.ClockNotSynced"/> without UTC; <see cref="RaceDayResult.Invalid"/> after the cut-off.</returns>
        public RaceDayResult ArmNow(long localMicros)
        {
            MatTime now = _time.ToMatTime(localMicros);
            if (now.State == ClockState.Unsynced)
            {
                return RaceDayResult.ClockNotSynced;
            }

            return ArmAt(now.UtcMicros);
        }

        /// <summary>Sets the section's cut-off: passings from then on are flagged outside the window.</summary>
        /// <param name="utcMicros">UTC µs since 1970.</param>
        /// <returns><see cref="RaceDayResult.Accepted"/>, or <see cref="RaceDayResult.Invalid"/> when it is not after the opening.</returns>
        public RaceDayResult CutOffAt(long utcMicros)
        {
            return Window.SetCutOff(utcMicros) ? RaceDayResult.Accepted : RaceDayResult.Invalid;
        }

        /// <summary>
        /// Records a marker: the gun (<see cref="PassingKind.GunStart"/>, value = race or wave, 0 for all), a wave start
        /// (<see cref="PassingKind.WaveStart"/>, value = wave ≥ 1) or a corral opening (<see cref="PassingKind.CorralOpen"/>,
        /// value = corral ≥ 1).
        /// </summary>
        /// <param name="kind">The marker kind.</param>
        /// <param name="value">The race, wave or corral number.</param>
        /// <param name="localMicros">When it happened on the unit's clock (the button press or command arrival).</param>
        /// <returns>
        /// <see cref="RaceDayResult.Accepted"/> when queued for the journal; otherwise why not (test mode, wrong role,
        /// invalid value, or a full queue, in which case issue it again with the same time).
        /// </returns>
        public RaceDayResult IssueMarker(PassingKind kind, int value, long localMicros)
        {
            if (kind == PassingKind.GunStart ? value < 0 : value < 1)
            {
                return RaceDayResult.Invalid;
            }

            if (kind == PassingKind.GunStart || kind == PassingKind.WaveStart)
            {
                if (!UnitRoleText.TakesStartMarkers(Role))
                {
                    return RaceDayResult.WrongRole;
                }
            }
            else if (kind == PassingKind.CorralOpen)
            {
                if (Role != UnitRole.CheckIn)
                {
                    return RaceDayResult.WrongRole;
                }
            }
            else
            {
                return RaceDayResult.Invalid;
            }

            if (Mode != RaceDayMode.Timing)
            {
                return RaceDayResult.NotInTimingMode;
            }

            MatTime at = _time.ToMatTime(localMicros);
            _marker.Kind = kind;
            _marker.UnitId = _detector.Settings.UnitId;
            _marker.Sequence = Passing.NoSequence;
            _marker.EpcLength = 0;
            _marker.TimeUtcMicros = at.UtcMicros;
            _marker.FirstReadUtcMicros = at.UtcMicros;
            _marker.LastReadUtcMicros = at.UtcMicros;
            _marker.Hits = 0;
            _marker.MaxRssiCentiDbm = 0;
            _marker.BestAntenna = 0;
            _marker.ClockState = at.State;
            _marker.UncertaintyMicros = at.UncertaintyMicros;
            _marker.Flags = PassingFlags.None;
            _marker.MarkerValue = value;
            return _detector.TryEnqueue(_marker) ? RaceDayResult.Accepted : RaceDayResult.QueueFull;
        }
    }
}
