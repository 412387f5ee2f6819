using TimingMat.Core.Passings;

namespace TimingMat.Core.RaceDay
{
    /// <summary>
    /// Sits between the crossing detector and the journal: flags test tags and passings outside the armed window, then
    /// hands every record on unchanged otherwise. Back-pressure from the journal passes straight back to the detector.
    /// </summary>
    public sealed class PassingQualifier : IPassingSink
    {
        private readonly IPassingSink _next;

        /// <summary>Initializes a new instance of the <see cref="PassingQualifier"/> class.</summary>
        /// <param name="next">Where qualified records go (the journal's RAM ring).</param>
        public PassingQualifier(IPassingSink next)
        {
            _next = next;
            TestTags = new TestTagList();
            Window = new ArmedWindow();
        }

        /// <summary>Gets the test-tag prefixes.</summary>
        public TestTagList TestTags { get; private set; }

        /// <summary>Gets the armed window.</summary>
        public ArmedWindow Window { get; private set; }

        /// <summary>Flags a crossing (markers pass unflagged) and offers it to the next sink.</summary>
        /// <param name="passing">The record; the next sink copies it.</param>
        /// <returns>The next sink's answer (<c>false</c> = back-pressure).</returns>
        public bool TryAccept(Passing passing)
        {
            if (passing.Kind == PassingKind.Crossing)
            {
                PassingFlags flags = passing.Flags;
                if (TestTags.Matches(passing.Epc, passing.EpcLength))
                {
                    flags |= PassingFlags.TestTag;
                }

                if (Window.IsOutside(passing.TimeUtcMicros, passing.ClockState))
                {
                    flags |= PassingFlags.OutsideArmedWindow;
                }

                passing.Flags = flags;
            }

            return _next.TryAccept(passing);
        }
    }
}
