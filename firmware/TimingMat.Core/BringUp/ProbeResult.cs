namespace TimingMat.Core.BringUp
{
    /// <summary>Outcome of a bring-up probe of one part.</summary>
    public enum ProbeResult
    {
        /// <summary>The board has no such part.</summary>
        Absent = 0,

        /// <summary>The part answered as expected.</summary>
        Ok = 1,

        /// <summary>The part is configured but did not answer as expected (wiring, power or a dead part).</summary>
        Failed = 2,
    }
}
