namespace TimingMat.Core.RaceDay
{
    /// <summary>The answer to a race-day command, for the command channel to report back to the technician.</summary>
    public enum RaceDayResult
    {
        /// <summary>Done.</summary>
        Accepted = 0,

        /// <summary>Refused: the unit is in test mode, where nothing is recorded; switch to timing mode and issue it again.</summary>
        NotInTimingMode = 1,

        /// <summary>Refused: the unit's role does not take this marker (gun and waves at a start or finish, corrals at a check-in).</summary>
        WrongRole = 2,

        /// <summary>Not recorded yet: the passing queue is full (the journal is behind); issue it again with the same time.</summary>
        QueueFull = 3,

        /// <summary>Refused: an argument is out of range (the marker kind or number, a window that closes before it opens).</summary>
        Invalid = 4,

        /// <summary>Refused: the clock has no UTC yet, so a time "now" cannot be placed in the race schedule.</summary>
        ClockNotSynced = 5,
    }
}
