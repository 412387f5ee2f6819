using TimingMat.Host.Json;

namespace TimingMat.Simulation.Scenarios;

/// <summary>A scenario that cannot be simulated, with where the problem is (file, JSON path or line and column).</summary>
public sealed class ScenarioException : JsonInputException
{
    /// <summary>Initializes a new instance of the <see cref="ScenarioException"/> class.</summary>
    /// <param name="source">File name or built-in scenario name.</param>
    /// <param name="location">JSON path (<c>$.course.mats[2].km</c>) or <c>line 4, column 12</c>.</param>
    /// <param name="problem">What is wrong and what is expected.</param>
    public ScenarioException(string source, string location, string problem)
        : base(source, location, problem)
    {
    }
}
