namespace TimingMat.Simulation.Scoring;

/// <summary>Why no reader read a true crossing (the simulator knows; a timing crew can only guess).</summary>
public enum NeverReadCause
{
    /// <summary>The tag was covered (a hand, a jacket, a bib in a pocket): too weak to read however free the reader was.</summary>
    CoveredTag,

    /// <summary>The chip never came within the antennas' reach strongly enough to be read (a gap in the antennas' cover across the mat, a weak tag).</summary>
    OutOfReach,

    /// <summary>The reader was busy with the crowd: the chips in its field shared its read rate and this one got no read.</summary>
    ReaderCapacity,

    /// <summary>The reader module had gone silent (a scenario fault) and was not reading again yet.</summary>
    ReaderSilence,

    /// <summary>The unit had lost power, or had not yet read again after the reboot.</summary>
    PowerCut,
}
