namespace TimingMat.Core.Crossings
{
    /// <summary>Names of the detection modes as configuration files, commands and status pages write them (enums print as numbers on nanoFramework).</summary>
    public static class DetectionModeText
    {
        private static readonly string[] s_names = new string[] { "peak", "first", "last", "first+last", "continuous" };

        /// <summary>Gets the name of a mode, e.g. <c>first+last</c>.</summary>
        /// <param name="mode">The mode.</param>
        /// <returns>Its lower-case name, or <c>unknown</c> for a value outside the enum.</returns>
        public static string Name(DetectionMode mode)
        {
            int index = (int)mode;
            return index >= 0 && index < s_names.Length ? s_names[index] : "unknown";
        }

        /// <summary>Parses a mode name (case-insensitive; <c>firstlast</c> and <c>first-last</c> are accepted for <c>first+last</c>).</summary>
        /// <param name="text">The name.</param>
        /// <param name="mode">The mode when the name is known.</param>
        /// <returns><c>true</c> when the name is known.</returns>
        public static bool TryParse(string text, out DetectionMode mode)
        {
            mode = DetectionMode.Peak;
            if (text == null)
            {
                return false;
            }

            string name = text.Trim().ToLower();
            if (name == "firstlast" || name == "first-last")
            {
                name = "first+last";
            }

            for (int i = 0; i < s_names.Length; i++)
            {
                if (s_names[i] == name)
                {
                    mode = (DetectionMode)i;
                    return true;
                }
            }

            return false;
        }
    }
}
