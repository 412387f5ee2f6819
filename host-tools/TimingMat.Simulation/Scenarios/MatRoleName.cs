namespace TimingMat.Simulation.Scenarios;

/// <summary>The role of a timing point on the course, as scenario files spell it.</summary>
public enum MatRoleName
{
    /// <summary>A corral check-in mat, crossed before the gun.</summary>
    CheckIn,

    /// <summary>The start line; net time starts here.</summary>
    Start,

    /// <summary>An intermediate split (5 km, 10 km, halfway, ...).</summary>
    Split,

    /// <summary>The turnaround of an out-and-back course.</summary>
    Turnaround,

    /// <summary>The finish line.</summary>
    Finish,
}
