namespace TimingMat.Core.Crossings
{
    /// <summary>Which moment of a crossing a passing is timed at (RACE RESULT's detection modes plus peak signal).</summary>
    public enum DetectionMode
    {
        /// <summary>Peak signal, directly over the antenna: the closest approach fitted to RSSI over time (the default).</summary>
        Peak = 0,

        /// <summary>The crossing's first read (finish or split where the first contact counts); closes after the chip left.</summary>
        First = 1,

        /// <summary>The crossing's last read (a start line where runners stand on the mat before the gun).</summary>
        Last = 2,

        /// <summary>Two records per crossing, one at the first read and one at the last read; the software picks.</summary>
        FirstAndLast = 3,

        /// <summary>One record per interval while the chip stays in the field (lap counting, diagnostics); no dead time.</summary>
        Continuous = 4,
    }
}
