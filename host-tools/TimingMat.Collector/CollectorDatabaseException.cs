namespace TimingMat.Collector;

/// <summary>The collector database file cannot be used: not SQLite, another application's, a newer schema, or damaged.</summary>
public sealed class CollectorDatabaseException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="CollectorDatabaseException"/> class.</summary>
    /// <param name="message">What is wrong, naming the file.</param>
    public CollectorDatabaseException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="CollectorDatabaseException"/> class.</summary>
    /// <param name="message">What is wrong, naming the file.</param>
    /// <param name="inner">The SQLite error.</param>
    public CollectorDatabaseException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
