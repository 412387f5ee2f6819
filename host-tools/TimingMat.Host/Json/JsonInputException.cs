namespace TimingMat.Host.Json;

/// <summary>A JSON input file (scenario, unit configuration) that cannot be used, with where the problem is.</summary>
public class JsonInputException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="JsonInputException"/> class.</summary>
    /// <param name="source">File name, or the name of a built-in input.</param>
    /// <param name="location">JSON path (<c>$.course.mats[2].km</c>) or <c>line 4, column 12</c>.</param>
    /// <param name="problem">What is wrong and what is expected.</param>
    public JsonInputException(string source, string location, string problem)
        : base($"{source}: {location}: {problem}")
    {
        Source = source;
        Location = location;
        Problem = problem;
    }

    /// <summary>Gets the file or built-in input name.</summary>
    public new string Source { get; }

    /// <summary>Gets where in the file the problem is.</summary>
    public string Location { get; }

    /// <summary>Gets what is wrong.</summary>
    public string Problem { get; }
}
