using TimingMat.Core.Common;

namespace TimingMat.Core.Crossings
{
    /// <summary>Names of the detection modes as configuration files, commands and status pages write them (enums print as numbers on nanoFramework).</summary>
    internal static class DetectionModeText
    {
        private static readonly string[] s_names = new string[] { "peak", "first", "last", "first+last", "continuous" };
        private static readonly string[] s_alternatives = new string[] { "firstlast", "first-last" };

        /// <summary>Gets the name of a mode, e.g. <c>first+last</c>.</summary>
        /// <param name="mode">The mode.</param>
        /// <returns>Its lower-case name, or <c>unknown</c> for a value outside the enum.</returns>
        public static string Name(DetectionMode mode)
        {
            return NameTable.Name(s_names, (int)mode);
        }

        /// <summary>Parses a mode name (case-insensitive; <c>firstlast</c> and <c>first-last</c> are accepted for <c>first+last</c>).</summary>
        /// <param name="text">The name.</param>
        /// <param name="mode">The mode when the name is known.</param>
        /// <returns><c>true</c> when the name is known.</returns>
        public static bool TryParse(string text, out DetectionMode mode)
        {
            int index = NameTable.IndexOf(s_names, text);
            if (index < 0)
            {
                // Spellings without the '+', which some keyboards and shells make awkward.
                index = NameTable.IndexOf(s_alternatives, text) < 0 ? -1 : (int)DetectionMode.FirstAndLast;
            }

            mode = index < 0 ? DetectionMode.Peak : (DetectionMode)index;
            return index >= 0;
        }
    }
}
