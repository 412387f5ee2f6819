using System;

namespace TimingMat.Core.Unit
{
    /// <summary>
    /// A <c>key = value</c> file that cannot be used: a line that is not <c>key = value</c>, an unknown, repeated or
    /// missing key, or a value that is not what the key takes. The message says the line, the key, the value (never a
    /// secret's) and what was expected.
    /// </summary>
    public class ConfigFileException : Exception
    {
        /// <summary>Initializes a new instance of the <see cref="ConfigFileException"/> class.</summary>
        /// <param name="line">1-based line of the file, or 0 when the error is not about one line (a missing key, a value set by a program).</param>
        /// <param name="key">The key the error is about, or <c>null</c> for a line that has none.</param>
        /// <param name="problem">What is wrong and what was expected.</param>
        public ConfigFileException(int line, string key, string problem)
            : base(line > 0 ? "line " + line.ToString() + ": " + problem : problem)
        {
            Line = line;
            Key = key;
            Problem = problem;
        }

        /// <summary>Gets the 1-based line the error is about, or 0.</summary>
        public int Line { get; private set; }

        /// <summary>Gets the key the error is about, or <c>null</c>.</summary>
        public string Key { get; private set; }

        /// <summary>Gets what is wrong, without the line number.</summary>
        public string Problem { get; private set; }
    }
}
