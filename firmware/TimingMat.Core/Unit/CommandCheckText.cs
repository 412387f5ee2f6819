using TimingMat.Core.Common;
using TimingMat.Core.Crossings;

namespace TimingMat.Core.Unit
{
    /// <summary>Names of the command checks for replies and status (enums print as numbers on nanoFramework).</summary>
    internal static class CommandCheckText
    {
        /// <summary>The number of checks (the size of a counter table indexed by <see cref="CommandCheck"/>).</summary>
        public const int Count = 8;

        private static readonly string[] s_names = new string[]
        {
            "accepted", "unsigned", "malformed", "wrong-unit", "no-key", "bad-tag", "replayed", "invalid",
        };

        private static readonly string[] s_statusNames = new string[]
        {
            "accepted", "unsigned", "malformed", "wrong_unit", "no_key", "bad_tag", "replayed", "invalid",
        };

        /// <summary>Gets the name of a check as a reply gives it, e.g. <c>bad-tag</c>.</summary>
        /// <param name="check">The check.</param>
        /// <returns>Its name.</returns>
        public static string Name(CommandCheck check)
        {
            return NameTable.Name(s_names, (int)check);
        }

        /// <summary>Gets the name of a check as a JSON member of the status, e.g. <c>bad_tag</c>.</summary>
        /// <param name="check">The check.</param>
        /// <returns>Its name.</returns>
        public static string StatusName(CommandCheck check)
        {
            return NameTable.Name(s_statusNames, (int)check);
        }
    }
}
