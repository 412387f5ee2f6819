namespace TimingMat.Core.Passings
{
    /// <summary>Qualifiers of a passing; a flagged passing is kept, never dropped, so the timing crew can judge it.</summary>
    [System.Flags]
    public enum PassingFlags
    {
        /// <summary>An ordinary passing.</summary>
        None = 0,

        /// <summary>The chip's EPC starts with a configured test-tag prefix (a technician's walk-through tag).</summary>
        TestTag = 1,

        /// <summary>The crossing happened outside the mat's armed window (before it opened or after its cut-off).</summary>
        OutsideArmedWindow = 2,

        /// <summary>The chip stayed in the field longer than the stray limit (e.g. a finisher standing on the mat).</summary>
        Stray = 4,

        /// <summary>The crossing was closed early because the chip table was full.</summary>
        CapacityClosed = 8,
    }
}
