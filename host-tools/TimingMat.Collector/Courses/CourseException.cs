namespace TimingMat.Collector.Courses;

/// <summary>A course file that cannot be used; the message names the file, the line and the key, and says what is expected.</summary>
public sealed class CourseException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="CourseException"/> class.</summary>
    /// <param name="source">File name, for the message.</param>
    /// <param name="line">1-based line, or 0 when the problem concerns the whole file.</param>
    /// <param name="problem">What is wrong and what is expected.</param>
    public CourseException(string source, int line, string problem)
        : base(line > 0 ? $"{source}: line {line}: {problem}" : $"{source}: {problem}")
    {
        Source = source;
        Line = line;
        Problem = problem;
    }

    /// <summary>Gets the file name.</summary>
    public new string Source { get; }

    /// <summary>Gets the 1-based line, or 0.</summary>
    public int Line { get; }

    /// <summary>Gets what is wrong.</summary>
    public string Problem { get; }
}
