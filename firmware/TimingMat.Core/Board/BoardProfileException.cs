using System;

namespace TimingMat.Core.Board
{
    /// <summary>A board profile that cannot be used: a syntax error, an unknown key, a missing or conflicting pin.</summary>
    public class BoardProfileException : Exception
    {
        /// <summary>Initializes a new instance of the <see cref="BoardProfileException"/> class.</summary>
        /// <param name="line">1-based line of the profile the error is about, or 0 when it concerns the whole file.</param>
        /// <param name="message">What is wrong, in words a technician can act on.</param>
        public BoardProfileException(int line, string message)
            : base(line > 0 ? "line " + line.ToString() + ": " + message : message)
        {
            Line = line;
        }

        /// <summary>Gets the 1-based line the error is about, or 0 when it concerns the whole profile.</summary>
        public int Line { get; private set; }
    }
}
