namespace TimingMat.Core.RaceDay
{
    /// <summary>Whether a unit records passings (RACE RESULT's Test Mode and Timing Mode).</summary>
    public enum RaceDayMode
    {
        /// <summary>Set-up and walk tests: reads are counted and shown, nothing is recorded (the mode a unit boots in).</summary>
        Test = 0,

        /// <summary>Race: reads become passings and markers are recorded.</summary>
        Timing = 1,
    }
}
