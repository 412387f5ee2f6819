namespace TimingMat.Core.RaceDay
{
    /// <summary>What a mat unit does on the course; it decides which markers the unit takes and its default detection mode.</summary>
    public enum UnitRole
    {
        /// <summary>Check-in at a start corral: confirms the runner entered the corral (takes corral-open markers).</summary>
        CheckIn = 0,

        /// <summary>Start line (takes gun and wave markers).</summary>
        Start = 1,

        /// <summary>Intermediate split on the course.</summary>
        Split = 2,

        /// <summary>Turnaround point of an out-and-back course (proves the runner went to the end).</summary>
        Turnaround = 3,

        /// <summary>Finish line (also takes gun and wave markers, for courses that start and finish on one mat).</summary>
        Finish = 4,
    }
}
