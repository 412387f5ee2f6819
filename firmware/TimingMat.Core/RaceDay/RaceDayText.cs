using TimingMat.Core.Common;
using TimingMat.Core.Crossings;

namespace TimingMat.Core.RaceDay
{
    /// <summary>Texts of the race-day modes and command results, for status pages and command answers (enums print as numbers on nanoFramework).</summary>
    internal static class RaceDayText
    {
        private static readonly string[] s_results = new string[]
        {
            "accepted", "not-in-timing-mode", "wrong-role", "queue-full", "invalid", "clock-not-synced",
        };

        /// <summary>Gets the name of a mode: <c>test</c> or <c>timing</c>.</summary>
        /// <param name="mode">The mode.</param>
        /// <returns>Its name.</returns>
        public static string Name(RaceDayMode mode)
        {
            return mode == RaceDayMode.Timing ? "timing" : "test";
        }

        /// <summary>Gets the name of a command result, e.g. <c>wrong-role</c>.</summary>
        /// <param name="result">The result.</param>
        /// <returns>Its name, or <c>unknown</c> for a value outside the enum.</returns>
        public static string Name(RaceDayResult result)
        {
            return NameTable.Name(s_results, (int)result);
        }
    }
}
