using TimingMat.Core.Clock.Nmea;

namespace TimingMat.Core.Clock
{
    /// <summary>
    /// The PPS edge waiting for its NMEA burst: what the sentences completing inside its label window said about the
    /// fix, and the second (and day) they named. Committed to the chain when the window closes or the next edge comes.
    /// </summary>
    internal sealed class PendingEdge
    {
        /// <summary>Whether an edge is waiting. Fields, not properties: every poll reads them (a property is a call on the device).</summary>
        internal bool Active;

        /// <summary>Its local µs (extended, latency floor taken off).</summary>
        internal long Local;

        /// <summary>Whether a sentence of its burst reported a fix.</summary>
        internal bool Fix;

        /// <summary>Whether a sentence of its burst reported no fix: its PPS free-runs and must not steer the clock.</summary>
        internal bool NoFix;

        /// <summary>Whether two sentences of its burst named different seconds or days.</summary>
        internal bool Conflict;

        /// <summary>Whether a sentence named its second.</summary>
        internal bool HasTime;

        /// <summary>The second of the day named (86,400 for 23:59:60).</summary>
        internal int SecondOfDay;

        /// <summary>Whether a sentence named its day.</summary>
        internal bool HasDate;

        /// <summary>The day named, days since 1970.</summary>
        internal long Day;

        // Dates before this year come from a receiver's RTC before its first fix, not from GPS.
        private readonly int _minYear;

        /// <summary>Initializes a new instance of the <see cref="PendingEdge"/> class.</summary>
        /// <param name="minYear">The earliest year a date may name (<see cref="MatClockSettings.MinYear"/>).</param>
        internal PendingEdge(int minYear)
        {
            _minYear = minYear;
        }

        /// <summary>Starts waiting for the burst of a new edge.</summary>
        /// <param name="local">The edge's local µs.</param>
        internal void Open(long local)
        {
            Active = true;
            Local = local;
            Fix = false;
            NoFix = false;
            Conflict = false;
            HasTime = false;
            HasDate = false;
        }

        /// <summary>Takes what a sentence completing inside the label window says about the edge.</summary>
        /// <param name="s">The sentence.</param>
        internal void Label(NmeaSentence s)
        {
            if (s.CarriesFix)
            {
                if (s.HasFix)
                {
                    Fix = true;
                }
                else
                {
                    NoFix = true;
                }
            }

            // Only hhmmss.00 names the PPS second; receivers at 5 Hz also print .20, .40 … which do not.
            if (!s.HasTime || s.SubsecondMicros != 0)
            {
                return;
            }

            int secondOfDay = s.SecondOfDay;
            if (HasTime && SecondOfDay != secondOfDay)
            {
                Conflict = true;
            }

            HasTime = true;
            SecondOfDay = secondOfDay;
            if (s.HasDate && s.Year >= _minYear)
            {
                long day = s.DayNumber;
                if (HasDate && Day != day)
                {
                    Conflict = true;
                }

                HasDate = true;
                Day = day;
            }
        }
    }
}
